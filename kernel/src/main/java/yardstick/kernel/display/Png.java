package yardstick.kernel.display;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A fast PNG writer for charts and images. ImageIO's writer filters every row adaptively and deflates at the default
 * level, about 50-90 ms for an 800x500 chart; charts are mostly long runs of one colour, which deflate well at
 * {@link Deflater#BEST_SPEED} without filtering, in a few milliseconds. Opaque images are written as 8-bit RGB, others
 * as RGBA; the pixels are the image's own (sRGB), nothing is lost.
 */
public final class Png {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Png() {}

    /** A chart drawn as XChart draws it for a bitmap, then encoded here. */
    public static byte[] chart(Chart<?, ?> chart) {
        return encode(BitmapEncoder.getBufferedImage(chart));
    }

    public static byte[] encode(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        int[] argb = pixels(img);
        boolean alpha = false;
        if (img.getColorModel().hasAlpha()) {
            for (int p : argb) {
                if (p >>> 24 != 0xff) {
                    alpha = true;
                    break;
                }
            }
        }
        int channels = alpha ? 4 : 3;
        byte[] raw = new byte[h * (1 + w * channels)];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raw[o++] = 0;  // filter type None
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int p = argb[row + x];
                raw[o++] = (byte) (p >> 16);
                raw[o++] = (byte) (p >> 8);
                raw[o++] = (byte) p;
                if (alpha) raw[o++] = (byte) (p >>> 24);
            }
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        ByteArrayOutputStream idat = new ByteArrayOutputStream(raw.length / 16 + 1024);
        try {
            deflater.setInput(raw);
            deflater.finish();
            byte[] buf = new byte[64 * 1024];
            while (!deflater.finished()) idat.write(buf, 0, deflater.deflate(buf));
        } finally {
            deflater.end();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.size() + 64);
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 8;                      // bit depth
        ihdr[9] = (byte) (alpha ? 6 : 2);  // colour type: RGBA or RGB
        // compression, filter method and interlace stay 0
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** The pixels as ARGB ints: straight from the raster for the int types XChart and most code use. */
    private static int[] pixels(BufferedImage img) {
        int type = img.getType();
        if ((type == BufferedImage.TYPE_INT_ARGB || type == BufferedImage.TYPE_INT_RGB)
                && img.getRaster().getDataBuffer() instanceof DataBufferInt db
                && db.getNumBanks() == 1 && img.getRaster().getParent() == null
                && db.getData().length == img.getWidth() * img.getHeight()) {
            int[] data = db.getData();
            if (type == BufferedImage.TYPE_INT_ARGB) return data;
            int[] opaque = new int[data.length];
            for (int i = 0; i < data.length; i++) opaque[i] = data[i] | 0xff000000;
            return opaque;
        }
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] len = new byte[4];
        putInt(len, 0, data.length);
        out.writeBytes(len);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
