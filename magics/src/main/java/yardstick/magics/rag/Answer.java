package yardstick.magics.rag;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.widget.Html;
import yardstick.magics.rag.search.Hit;

/**
 * A grounded answer: the model's text, which cites sources as [n], and the numbered chunks it was given. Renders as
 * HTML with each [n] linked to its source below, and as plain text with the source list.
 */
public record Answer(String question, String text, List<Hit> sources, String model) {
    private static final Pattern CITE = Pattern.compile("\\[(\\d+)]");

    public Answer {
        sources = List.copyOf(sources);
    }

    /** The source numbers the answer cites, in order of first mention, limited to sources it was given. */
    public List<Integer> cited() {
        Matcher m = CITE.matcher(text);
        java.util.LinkedHashSet<Integer> out = new java.util.LinkedHashSet<>();
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (n >= 1 && n <= sources.size()) out.add(n);
        }
        return List.copyOf(out);
    }

    public MimeBundle bundle() {
        String id = "ask-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder html = new StringBuilder("<div class=\"yardstick-answer\"><p>");
        Matcher m = CITE.matcher(Html.escape(text));
        StringBuilder linked = new StringBuilder();
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            String rep = n >= 1 && n <= sources.size()
                    ? "<a href=\"#" + id + "-" + n + "\" title=\"" + Html.escape(sources.get(n - 1).citation()) + "\">[" + n + "]</a>"
                    : m.group();
            m.appendReplacement(linked, Matcher.quoteReplacement(rep));
        }
        m.appendTail(linked);
        html.append(linked.toString().replace("\n", "<br>")).append("</p><ol>");
        for (int i = 0; i < sources.size(); i++) {
            Hit h = sources.get(i);
            html.append("<li id=\"").append(id).append('-').append(i + 1).append("\"><b>").append(Html.escape(h.citation()))
                    .append("</b>").append(h.heading().isEmpty() ? "" : " · " + Html.escape(h.heading())).append(": ")
                    .append(Html.escape(abbreviate(h.text()))).append("</li>");
        }
        html.append("</ol></div>");
        return new MimeBundle().put("text/html", html.toString()).put("text/plain", toString());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(text.strip()).append("\n\nSources:\n");
        for (int i = 0; i < sources.size(); i++) {
            sb.append('[').append(i + 1).append("] ").append(sources.get(i).citation()).append('\n');
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }
}
