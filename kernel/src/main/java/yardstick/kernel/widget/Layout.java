package yardstick.kernel.widget;

import java.util.LinkedHashMap;
import java.util.Map;
import yardstick.kernel.comm.CommManager;

/** A control's layout model (CSS properties); every control gets its own, as in ipywidgets, all unset. */
public final class Layout extends Widget {
    Layout(CommManager comms) {
        super(comms, initial());
    }

    private static Map<String, Object> initial() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("_model_module", BASE);
        s.put("_model_module_version", MODULE_VERSION);
        s.put("_model_name", "LayoutModel");
        s.put("_view_count", null);
        s.put("_view_module", BASE);
        s.put("_view_module_version", MODULE_VERSION);
        s.put("_view_name", "LayoutView");
        return s;
    }

    /** Sets a CSS property of the layout, such as width ("100%") or border. */
    public Layout css(String property, String value) {
        set(property, value);
        return this;
    }
}
