package yardstick.magics.llm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A prompt with {@code {{name}}} placeholders, filled from notebook variables or a table's columns. */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private final String text;
    private final List<String> names;

    private Template(String text) {
        this.text = text;
        Set<String> found = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (m.group(1).isEmpty()) throw new LlmException("the template has an empty placeholder {{}}");
            found.add(m.group(1));
        }
        this.names = List.copyOf(found);
    }

    public static Template of(String text) {
        return new Template(text);
    }

    public String text() {
        return text;
    }

    /** The placeholder names, each once, in order of first use. */
    public List<String> placeholders() {
        return names;
    }

    /**
     * Checks that every placeholder has a value before anything is sent: the first that has none is named in the
     * error, with {@code where} saying what was searched (e.g. "no notebook variable or column").
     */
    public void requireAll(Function<String, Boolean> known, String where) {
        List<String> missing = new ArrayList<>();
        for (String n : names) if (!known.apply(n)) missing.add(n);
        if (missing.isEmpty()) return;
        StringBuilder m = new StringBuilder("placeholder {{").append(missing.get(0)).append("}} has no value: ")
                .append(where).append(" named '").append(missing.get(0)).append("'");
        if (missing.size() > 1) m.append(" (also missing: ").append(String.join(", ", missing.subList(1, missing.size()))).append(')');
        throw LlmException.fatal(m.toString());
    }

    /** Fills every placeholder with {@code values.apply(name)}; a null value is an error naming the placeholder. */
    public String render(Function<String, ?> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 64);
        while (m.find()) {
            Object v = values.apply(m.group(1));
            if (v == null) throw LlmException.fatal("placeholder {{" + m.group(1) + "}} has no value");
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(v)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
