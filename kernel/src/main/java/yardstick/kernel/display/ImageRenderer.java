package yardstick.kernel.display;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** AWT images as PNG. */
final class ImageRenderer implements Renderer {
    @Override
    public boolean supports(Object value) {
        return value instanceof RenderedImage;
    }

    @Override
    public MimeBundle render(Object value) throws IOException {
        RenderedImage img = (RenderedImage) value;
        return new MimeBundle()
                .put("image/png", png(img))
                .put("text/plain", "<image " + img.getWidth() + "x" + img.getHeight() + ">");
    }

    /** Buffered images go through the fast {@link Png} writer; other rendered images through ImageIO. */
    static String png(RenderedImage img) throws IOException {
        if (img instanceof BufferedImage b) return Base64.getEncoder().encodeToString(Png.encode(b));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
