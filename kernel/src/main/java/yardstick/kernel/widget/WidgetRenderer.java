package yardstick.kernel.widget;

import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.display.Renderer;

/** Displays widgets as widget views (registered as a Renderer service). */
public final class WidgetRenderer implements Renderer {
    @Override
    public boolean supports(Object value) {
        return value instanceof Widget;
    }

    @Override
    public MimeBundle render(Object value) {
        return ((Widget) value).bundle();
    }
}
