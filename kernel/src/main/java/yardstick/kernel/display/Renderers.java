package yardstick.kernel.display;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** All known renderers in priority order, with plain text as the last resort. */
public final class Renderers {
    private final List<Renderer> renderers = new ArrayList<>();

    public Renderers(ClassLoader loader) {
        ServiceLoader.load(Renderer.class, loader).forEach(renderers::add);
        renderers.add(new TableRenderer());
        renderers.add(new ChartRenderer());
        renderers.add(new ImageRenderer());
    }

    /** Renders a value; a renderer that fails falls back to text with the failure noted, never an exception. */
    public MimeBundle render(Object value) {
        if (value instanceof MimeBundle b) return b;
        for (Renderer r : renderers) {
            try {
                if (r.supports(value)) return r.render(value);
            } catch (Exception | LinkageError e) {
                return MimeBundle.text(TextRenderer.text(value) + "\n(rendering failed: " + e + ")");
            }
        }
        return MimeBundle.text(TextRenderer.text(value));
    }
}
