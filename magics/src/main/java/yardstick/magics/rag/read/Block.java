package yardstick.magics.rag.read;

/**
 * A paragraph-like unit of a document: characters {@code [start, end)} of the document's text, the page it is on
 * (1-based; 0 where a format has no pages) and the heading it sits under ("" when none).
 */
public record Block(int start, int end, int page, String heading) {
    public Block {
        if (start < 0 || end < start) throw new IllegalArgumentException("bad block range " + start + ".." + end);
        heading = heading == null ? "" : heading;
    }
}
