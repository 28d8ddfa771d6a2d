package yardstick.magics.rag.read;

import java.util.ArrayList;
import java.util.List;

/** Splits text into blocks at blank lines, trimming surrounding whitespace from each. */
final class Paragraphs {
    private Paragraphs() {}

    /** Paragraphs of {@code text[from, to)}, all on {@code page} under {@code heading}. */
    static List<Block> split(String text, int from, int to, int page, String heading) {
        List<Block> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            int end = blankLine(text, i, to);
            add(out, text, i, end < 0 ? to : end, page, heading);
            if (end < 0) break;
            i = end;
            while (i < to && Character.isWhitespace(text.charAt(i))) i++;
        }
        return out;
    }

    /** Adds {@code text[start, end)} trimmed, unless it is blank. */
    static void add(List<Block> out, String text, int start, int end, int page, String heading) {
        while (start < end && Character.isWhitespace(text.charAt(start))) start++;
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
        if (end > start) out.add(new Block(start, end, page, heading));
    }

    /** The index of the first line break that ends a paragraph (followed by a blank line), or -1. */
    private static int blankLine(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) != '\n') continue;
            int j = i + 1;
            while (j < to && (text.charAt(j) == ' ' || text.charAt(j) == '\t' || text.charAt(j) == '\r')) j++;
            if (j < to && text.charAt(j) == '\n') return i;
        }
        return -1;
    }
}
