package yardstick.kernel.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Javadoc comment (the source text JShell hands back) rendered for a person: as HTML, and as clean plain text where
 * {@code {@code x}} is {@code x}, paragraphs are blank lines, tags are gone and the block tags ({@code @param},
 * {@code @return}, {@code @throws}) become titled lists.
 */
public final class Javadoc {
    private static final Pattern INLINE_TAG = Pattern.compile("\\{@(\\w+)\\s*");
    private static final Pattern BLOCK_TAG = Pattern.compile("(?m)^\\s*@(\\w+)\\s");
    private static final Map<String, String> TITLES = Map.of("param", "Parameters", "return", "Returns",
            "throws", "Throws", "exception", "Throws", "since", "Since", "see", "See also", "deprecated", "Deprecated");

    /** The rendered comment: its description and block tags, as plain text and as HTML. */
    public record Rendered(String text, String html) {}

    private Javadoc() {}

    public static Rendered render(String javadoc) {
        if (javadoc == null || javadoc.isBlank()) return new Rendered("", "");
        String body = javadoc.strip();
        Matcher m = BLOCK_TAG.matcher(body);
        boolean hasBlocks = m.find();
        String description = hasBlocks ? body.substring(0, m.start()) : body;
        Map<String, List<String[]>> blocks = new LinkedHashMap<>();
        if (hasBlocks) {
            String rest = body.substring(description.length());
            Matcher t = BLOCK_TAG.matcher(rest);
            List<int[]> starts = new ArrayList<>();
            while (t.find()) starts.add(new int[] {t.start(), t.end()});
            for (int i = 0; i < starts.size(); i++) {
                String tag = rest.substring(starts.get(i)[0], starts.get(i)[1]).strip().substring(1);
                String value = rest.substring(starts.get(i)[1], i + 1 < starts.size() ? starts.get(i + 1)[0] : rest.length()).strip();
                String name = "";
                if (tag.equals("param") || tag.equals("throws") || tag.equals("exception")) {
                    int sp = firstSpace(value);
                    name = sp < 0 ? value : value.substring(0, sp);
                    value = sp < 0 ? "" : value.substring(sp + 1).strip();
                }
                if (!TITLES.containsKey(tag)) continue;
                blocks.computeIfAbsent(tag.equals("exception") ? "throws" : tag, k -> new ArrayList<>()).add(new String[] {name, value});
            }
        }
        StringBuilder text = new StringBuilder(plain(description));
        StringBuilder html = new StringBuilder("<div>").append(html(description)).append("</div>");
        if (!blocks.isEmpty()) html.append("<dl>");
        for (Map.Entry<String, List<String[]>> b : blocks.entrySet()) {
            String title = TITLES.get(b.getKey());
            text.append("\n\n").append(title).append(':');
            html.append("<dt><b>").append(title).append(":</b></dt>");
            for (String[] item : b.getValue()) {
                String v = plain(item[1]).replace("\n", " ");
                text.append("\n  ").append(item[0].isEmpty() ? v : item[0] + (v.isEmpty() ? "" : " - " + v));
                html.append("<dd>").append(item[0].isEmpty() ? "" : "<code>" + escape(item[0]) + "</code>"
                        + (item[1].isEmpty() ? "" : " - ")).append(html(item[1])).append("</dd>");
            }
        }
        if (!blocks.isEmpty()) html.append("</dl>");
        return new Rendered(text.toString().strip(), html.toString());
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
        return -1;
    }

    /** Clean text: inline tags by their text, paragraphs and breaks as line breaks, other HTML dropped. */
    static String plain(String s) {
        String t = inline(s, false);
        t = t.replaceAll("(?i)\\s*<p\\s*/?>\\s*", "\n\n").replaceAll("(?i)</p>", "")
                .replaceAll("(?i)<br\\s*/?>", "\n").replaceAll("(?i)<li>\\s*", "\n  - ")
                .replaceAll("(?i)</?(pre|ul|ol|blockquote|table|tr)[^>]*>", "\n")
                .replaceAll("<[^>]+>", "");
        t = unescape(t);
        StringBuilder out = new StringBuilder();
        for (String para : t.split("\n\\s*\n")) {
            String p = para.strip().replaceAll("[ \\t]*\n[ \\t]*", "\n");
            if (p.isEmpty()) continue;
            if (out.length() > 0) out.append("\n\n");
            out.append(p.contains("\n  - ") ? p : p.replaceAll("\\s*\n\\s*", " "));
        }
        return out.toString();
    }

    static String html(String s) {
        return inline(s, true);
    }

    /** Replaces {@code {@tag ...}} (with balanced braces inside) by its text, code-formatted in HTML. */
    private static String inline(String s, boolean html) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        Matcher m = INLINE_TAG.matcher(s);
        while (m.find(i)) {
            out.append(s, i, m.start());
            int depth = 1, j = m.end();
            while (j < s.length() && depth > 0) {
                char c = s.charAt(j);
                if (c == '{') depth++;
                else if (c == '}') depth--;
                j++;
            }
            String tag = m.group(1);
            String arg = s.substring(m.end(), depth == 0 ? j - 1 : j).strip();
            String shown = arg;
            if (tag.equals("link") || tag.equals("linkplain")) {
                int sp = firstSpace(arg);
                shown = sp < 0 ? arg.replace('#', '.').replaceAll("^\\.", "") : arg.substring(sp + 1).strip();
            }
            boolean code = tag.equals("code") || tag.equals("link") || tag.equals("value");
            if (html) {
                String e = tag.equals("code") || tag.equals("literal") ? escape(shown) : shown;
                out.append(code ? "<code>" + e + "</code>" : e);
            } else {
                out.append(tag.equals("code") || tag.equals("literal") ? shown.replace("<", "&lt;").replace(">", "&gt;") : shown);
            }
            i = j;
        }
        out.append(s.substring(i));
        return out.toString();
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
    }
}
