package yardstick.magics.rag.chunk;

/**
 * A retrievable piece of a document: its text is characters {@code [start, end)} of the document's text, on
 * {@code page} (0 when the format has none) under {@code heading}; {@code ordinal} counts chunks within the document.
 */
public record Chunk(String docId, int ordinal, String text, int start, int end, int page, String heading, int tokens) {
    /** What gets embedded and searched: the heading gives a chunk the context its own words may lack. */
    public String indexedText() {
        return heading.isEmpty() ? text : heading + "\n" + text;
    }
}
