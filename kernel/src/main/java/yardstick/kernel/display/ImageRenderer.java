package yardstick.kernel.display;

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

    static String png(RenderedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
