package yardstick.magics.rag.read;

import java.util.List;

/**
 * Text read from a file, split into blocks. {@code id} names the document for retrieval metrics: the file's path
 * as given, or a row's id for JSONL/CSV rows. {@code text} is what block offsets point into: the file's own
 * characters for text formats, the extracted text for PDF and HTML.
 */
public record SourceDocument(String id, String text, List<Block> blocks) {
    public SourceDocument {
        blocks = List.copyOf(blocks);
    }

    public String text(Block b) {
        return text.substring(b.start(), b.end());
    }
}
