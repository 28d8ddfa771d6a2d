package yardstick.tracker.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.HashMap;
import java.util.Map;

/**
 * The UI's jte templates (src/main/jte), compiled to classes at build time by the jte Maven plugin: nothing is
 * parsed or compiled while serving, and every {@code ${...}} in them is HTML-escaped for where it stands.
 */
public final class Templates {
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html, Templates.class.getClassLoader());

    private Templates() {}

    /** Renders {@code name} (e.g. {@code "runs.jte"}) with its parameters given as name, value, name, value... */
    public static String render(String name, Object... namesAndValues) {
        Map<String, Object> params = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        StringOutput out = new StringOutput(8192);
        ENGINE.render(name, params, out);
        return out.toString();
    }
}
