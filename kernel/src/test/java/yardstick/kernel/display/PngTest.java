package yardstick.kernel.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** The fast PNG writer: what it writes decodes (with ImageIO) to exactly the pixels it was given. */
class PngTest {
    private static BufferedImage decode(byte[] png) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        if (img == null) throw new AssertionError("not a PNG ImageIO reads");
        return img;
    }

    private static int[] argb(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static XYChart chart() {
        XYChart c = new XYChartBuilder().width(800).height(500).title("walk").build();
        double[] x = new double[2000], y = new double[2000];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 1; i < x.length; i++) {
            x[i] = i;
            y[i] = y[i - 1] + r.nextGaussian();
        }
        c.addSeries("y", x, y);
        return c;
    }

    @Test
    void chartDecodesToTheSamePixelsAsXChartDrawsThem() throws Exception {
        XYChart c = chart();
        BufferedImage drawn = BitmapEncoder.getBufferedImage(c);
        byte[] png = Png.encode(drawn);
        BufferedImage back = decode(png);
        assertEquals(800, back.getWidth());
        assertEquals(500, back.getHeight());
        assertFalse(back.getColorModel().hasAlpha(), "an opaque chart is written as RGB");
        assertArrayEquals(argb(drawn), argb(back));
        assertArrayEquals(argb(drawn), argb(decode(Png.chart(c))));
        assertTrue(png.length < 800 * 500, "compressed: " + png.length + " bytes");
    }

    @Test
    void translucentPixelsKeepTheirAlpha() throws Exception {
        BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00000000);
        img.setRGB(3, 2, 0x80ff0000);
        img.setRGB(6, 4, 0xff0000ff);
        BufferedImage back = decode(Png.encode(img));
        assertTrue(back.getColorModel().hasAlpha());
        assertArrayEquals(argb(img), argb(back));
    }

    @Test
    void otherImageTypesAndTheRendererAgree() throws Exception {
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_GRAY}) {
            BufferedImage img = new BufferedImage(33, 17, type);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 33, 17);
            g.setColor(new Color(10, 200, 60));
            g.setStroke(new BasicStroke(3));
            g.drawLine(0, 0, 32, 16);
            g.dispose();
            assertArrayEquals(argb(img), argb(decode(Png.encode(img))), "type " + type);
            String b64 = (String) new ImageRenderer().render(img).data().get("image/png");
            assertArrayEquals(argb(img), argb(decode(Base64.getDecoder().decode(b64))), "renderer, type " + type);
        }
        String chartPng = (String) new ChartRenderer().render(chart()).data().get("image/png");
        assertArrayEquals(argb(BitmapEncoder.getBufferedImage(chart())), argb(decode(Base64.getDecoder().decode(chartPng))));
    }
}
