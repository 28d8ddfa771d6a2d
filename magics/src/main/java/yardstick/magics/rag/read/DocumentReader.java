package yardstick.magics.rag.read;

import java.nio.file.Path;
import java.util.List;

/** Reads one file into documents: one for most formats, one per row for JSONL and CSV. */
public interface DocumentReader {
    /** {@code id} is the path to name the file by (relative to where indexing started). */
    List<SourceDocument> read(Path file, String id) throws SkippedFileException;
}
