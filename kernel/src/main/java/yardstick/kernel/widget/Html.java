package yardstick.kernel.widget;

import java.util.Map;
import yardstick.kernel.comm.CommManager;

/** A piece of HTML (HTMLModel) that the kernel can change after it is shown. */
public final class Html extends Widget {
    public Html(String html) {
        this(current(), html);
    }

    public Html(CommManager comms, String html) {
        super(comms, state(comms, html));
    }

    private static Map<String, Object> state(CommManager comms, String html) {
        Map<String, Object> s = control(comms, "HTMLModel", "HTMLView");
        s.put("description", "");
        s.put("description_allow_html", false);
        s.put("placeholder", "\u200b");
        s.put("style", null);
        s.put("value", html);
        return s;
    }

    public String value() {
        Object v = get("value");
        return v == null ? "" : v.toString();
    }

    public Html value(String html) {
        set("value", html);
        return this;
    }

    /** Text with HTML's special characters escaped, to put into HTML values. */
    public static String escape(Object text) {
        String s = String.valueOf(text);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
