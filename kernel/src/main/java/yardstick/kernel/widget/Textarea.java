package yardstick.kernel.widget;

import java.util.Map;
import yardstick.kernel.comm.CommManager;

/** A multi-line text box (TextareaModel); what the user types arrives as updates of its value. */
public final class Textarea extends Widget {
    public Textarea(String placeholder) {
        this(current(), placeholder);
    }

    public Textarea(CommManager comms, String placeholder) {
        super(comms, state(comms, placeholder));
    }

    private static Map<String, Object> state(CommManager comms, String placeholder) {
        Map<String, Object> s = control(comms, "TextareaModel", "TextareaView");
        s.put("continuous_update", true);
        s.put("description", "");
        s.put("description_allow_html", false);
        s.put("disabled", false);
        s.put("placeholder", placeholder);
        s.put("rows", null);
        s.put("style", null);
        s.put("value", "");
        return s;
    }

    public String value() {
        Object v = get("value");
        return v == null ? "" : v.toString();
    }

    public Textarea value(String text) {
        set("value", text);
        return this;
    }
}
