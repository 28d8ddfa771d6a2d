package yardstick.magics.rag.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Snippets with the query's words marked: a window of the chunk around its densest run of matches, each match
 * wrapped in {@code **}. Matching goes through the index's analyzer, so "indexing" marks "indexed" too.
 */
public final class Highlighter {
    private final Analyzer analyzer;
    private final int width;

    public Highlighter(Analyzer analyzer, int width) {
        this.analyzer = analyzer;
        this.width = width;
    }

    /** The analyzed terms of a text (its BM25 query terms). */
    public Set<String> terms(String text) {
        Set<String> out = new LinkedHashSet<>();
        spans(text, null, out);
        return out;
    }

    public String snippet(String text, Set<String> queryTerms) {
        List<int[]> matches = spans(text, queryTerms, null);
        int from = 0;
        if (!matches.isEmpty() && text.length() > width) {
            // Start a little before the window holding the most matches.
            int best = 0, bestCount = 0;
            for (int i = 0; i < matches.size(); i++) {
                int count = 0;
                for (int j = i; j < matches.size() && matches.get(j)[1] <= matches.get(i)[0] + width; j++) count++;
                if (count > bestCount) {
                    bestCount = count;
                    best = i;
                }
            }
            from = Math.max(0, matches.get(best)[0] - width / 6);
        }
        from = Math.max(0, Math.min(from, text.length() - width));
        from = wordStart(text, from);
        int to = wordEnd(text, Math.min(text.length(), from + width));
        StringBuilder sb = new StringBuilder();
        if (from > 0) sb.append("…");
        int pos = from;
        for (int[] m : matches) {
            if (m[0] < from || m[1] > to) continue;
            sb.append(text, pos, m[0]).append("**").append(text, m[0], m[1]).append("**");
            pos = m[1];
        }
        sb.append(text, pos, to);
        if (to < text.length()) sb.append("…");
        return sb.toString().replaceAll("\\s+", " ").strip();
    }

    /** Offsets of tokens whose term is in {@code wanted}; with {@code wanted} null, collects every term instead. */
    private List<int[]> spans(String text, Set<String> wanted, Set<String> collect) {
        List<int[]> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            OffsetAttribute off = ts.addAttribute(OffsetAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                String t = term.toString();
                if (wanted == null) collect.add(t);
                else if (wanted.contains(t)) out.add(new int[] {off.startOffset(), off.endOffset()});
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static int wordStart(String s, int i) {
        if (i == 0) return 0;
        int j = i;
        while (j < s.length() && j < i + 20 && !Character.isWhitespace(s.charAt(j))) j++;
        return j < s.length() && j < i + 20 ? j + 1 : i;
    }

    private static int wordEnd(String s, int i) {
        if (i >= s.length()) return s.length();
        int j = i;
        while (j > 0 && j > i - 20 && !Character.isWhitespace(s.charAt(j - 1))) j--;
        return j > i - 20 ? j : i;
    }
}
