package yardstick.magics.rag.search;

import java.util.Locale;
import yardstick.magics.rag.RagException;

/** How to rank chunks: words (BM25), meaning (vector KNN), or both fused by reciprocal rank. */
public enum Mode {
    BM25, VECTOR, HYBRID;

    public static Mode parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RagException("unknown search mode '" + s + "': use hybrid, bm25 or vector");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
