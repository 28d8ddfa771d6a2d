package yardstick.tracker.review;

import gg.jte.html.escape.Escape;
import gg.jte.output.StringOutput;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown for untrusted model outputs: every character is HTML-escaped first, then a small subset (paragraphs,
 * line breaks, headings, lists, fenced and inline code, bold, italics) becomes tags this class writes itself. No
 * HTML, links or images from the text ever reach the page; a link shows as its text and address.
 */
public final class SafeMarkdown {
    private static final Pattern BOLD = Pattern.compile("\\*\\*(\\S(?:.*?\\S)?)\\*\\*");
    private static final Pattern ITALIC = Pattern.compile("(?<![*\\w])[*_](\\S(?:.*?\\S)?)[*_](?![*\\w])");
    private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\(([^)\\s]*)\\)");

    private SafeMarkdown() {}

    public static String html(String text) {
        if (text == null || text.isEmpty()) return "";
        StringBuilder out = new StringBuilder();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        StringBuilder para = new StringBuilder();
        String list = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.startsWith("```")) {
                flush(out, para);
                list = endList(out, list);
                StringBuilder code = new StringBuilder();
                for (i++; i < lines.length && !lines[i].strip().startsWith("```"); i++) code.append(lines[i]).append('\n');
                out.append("<pre><code>").append(escape(code.toString())).append("</code></pre>");
                continue;
            }
            String item = listItem(trimmed);
            String kind = item == null ? null : Character.isDigit(trimmed.charAt(0)) ? "ol" : "ul";
            if (item != null) {
                flush(out, para);
                if (!kind.equals(list)) {
                    list = endList(out, list);
                    out.append('<').append(kind).append('>');
                    list = kind;
                }
                out.append("<li>").append(inline(item)).append("</li>");
                continue;
            }
            list = endList(out, list);
            if (trimmed.isEmpty()) {
                flush(out, para);
            } else if (trimmed.startsWith("#")) {
                flush(out, para);
                out.append("<p class=\"md-h\"><strong>").append(inline(trimmed.replaceFirst("^#+\\s*", ""))).append("</strong></p>");
            } else {
                if (!para.isEmpty()) para.append("<br>");
                para.append(inline(line));
            }
        }
        flush(out, para);
        endList(out, list);
        return out.toString();
    }

    private static String listItem(String trimmed) {
        if (trimmed.startsWith("- ") || trimmed.startsWith("* ") || trimmed.startsWith("+ ")) return trimmed.substring(2);
        Matcher m = Pattern.compile("^\\d{1,9}[.)]\\s+(.*)").matcher(trimmed);
        return m.matches() ? m.group(1) : null;
    }

    private static void flush(StringBuilder out, StringBuilder para) {
        if (para.isEmpty()) return;
        out.append("<p>").append(para).append("</p>");
        para.setLength(0);
    }

    private static String endList(StringBuilder out, String list) {
        if (list != null) out.append("</").append(list).append('>');
        return null;
    }

    /** Inline code spans stay literal; elsewhere bold, italics and links. Runs on escaped text, so it holds no markup. */
    private static String inline(String raw) {
        String[] parts = raw.split("`", -1);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < parts.length; k++) {
            boolean code = k % 2 == 1 && k < parts.length - 1;
            if (code) {
                sb.append("<code>").append(escape(parts[k])).append("</code>");
            } else {
                String s = k % 2 == 1 ? "`" + parts[k] : parts[k];
                s = LINK.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " (" + m.group(2) + ")"));
                s = escape(s);
                s = BOLD.matcher(s).replaceAll("<strong>$1</strong>");
                s = ITALIC.matcher(s).replaceAll("<em>$1</em>");
                sb.append(s);
            }
        }
        return sb.toString();
    }

    /** jte's escaping for element content (all this class writes; never an attribute), as the templates apply it. */
    static String escape(String s) {
        StringOutput out = new StringOutput(s.length() + 16);
        Escape.htmlContent(s, out);
        return out.toString();
    }
}
