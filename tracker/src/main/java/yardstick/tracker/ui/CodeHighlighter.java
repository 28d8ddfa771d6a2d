package yardstick.tracker.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a notebook cell's source (Java, with {@code %magic} lines) into spans to colour: keywords, strings, comments,
 * numbers and magic lines. The spans cover the source exactly, line breaks included, so the page shows it as written.
 */
public final class CodeHighlighter {
    /** A piece of source; {@code kind} is a CSS class, or null for plain text. */
    public record Span(String kind, String text) {}

    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch",
            "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally",
            "float", "for", "if", "implements", "import", "instanceof", "int", "interface", "long", "new", "package",
            "private", "protected", "public", "record", "return", "short", "static", "super", "switch", "this", "throw",
            "throws", "try", "var", "void", "while", "yield", "true", "false", "null");

    private CodeHighlighter() {}

    public static List<Span> spans(String source) {
        List<Span> out = new ArrayList<>();
        int n = source.length();
        int plain = 0;
        int i = 0;
        boolean lineStart = true;
        while (i < n) {
            char c = source.charAt(i);
            int end = -1;
            String kind = null;
            if (lineStart && c == '%') {
                end = lineEnd(source, i);
                kind = "magic";
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                end = lineEnd(source, i);
                kind = "com";
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int close = source.indexOf("*/", i + 2);
                end = close < 0 ? n : close + 2;
                kind = "com";
            } else if (c == '"' || c == '\'') {
                end = stringEnd(source, i);
                kind = "str";
            } else if (Character.isDigit(c) && (i == 0 || !Character.isJavaIdentifierPart(source.charAt(i - 1)))) {
                end = i;
                while (end < n && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '.' || source.charAt(end) == '_')) {
                    end++;
                }
                kind = "num";
            } else if (Character.isJavaIdentifierStart(c)) {
                end = i;
                while (end < n && Character.isJavaIdentifierPart(source.charAt(end))) {
                    end++;
                }
                kind = KEYWORDS.contains(source.substring(i, end)) ? "kw" : null;
            }
            if (kind != null) {
                if (plain < i) {
                    out.add(new Span(null, source.substring(plain, i)));
                }
                out.add(new Span(kind, source.substring(i, end)));
                i = end;
                plain = end;
                lineStart = false;
            } else {
                i = end > i ? end : i + 1;
                if (c == '\n') {
                    lineStart = true;
                } else if (!Character.isWhitespace(c)) {
                    lineStart = false;
                }
            }
        }
        if (plain < n) {
            out.add(new Span(null, source.substring(plain)));
        }
        return out;
    }

    private static int lineEnd(String s, int from) {
        int nl = s.indexOf('\n', from);
        return nl < 0 ? s.length() : nl;
    }

    /** The end of a string or char literal (a text block too), or of the line when it is not closed. */
    private static int stringEnd(String s, int from) {
        char q = s.charAt(from);
        if (q == '"' && s.startsWith("\"\"\"", from)) {
            int close = s.indexOf("\"\"\"", from + 3);
            return close < 0 ? s.length() : close + 3;
        }
        for (int i = from + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == q) {
                return i + 1;
            } else if (c == '\n') {
                return i;
            }
        }
        return s.length();
    }
}
