package yardstick.magics.rag.index;

import java.util.List;

/**
 * How documents become chunks: chunk size and overlap in the embedder's tokens, and which JSONL/CSV columns hold
 * the text and the id. An index built with other options is rebuilt from scratch.
 */
public record IndexOptions(int chunkTokens, int overlapTokens, List<String> textColumns, String idColumn) {
    public static final IndexOptions DEFAULTS = new IndexOptions(200, 32, List.of("text"), null);

    public IndexOptions {
        textColumns = List.copyOf(textColumns);
    }

    public IndexOptions withChunk(int tokens, int overlap) {
        return new IndexOptions(tokens, overlap, textColumns, idColumn);
    }

    public IndexOptions withColumns(List<String> text, String id) {
        return new IndexOptions(chunkTokens, overlapTokens, text, id);
    }

    /** What the index remembers of the options, to tell whether a rebuild is needed. */
    String fingerprint() {
        return "chunk=" + chunkTokens + ";overlap=" + overlapTokens + ";text=" + String.join(",", textColumns)
                + ";id=" + (idColumn == null ? "" : idColumn);
    }
}
