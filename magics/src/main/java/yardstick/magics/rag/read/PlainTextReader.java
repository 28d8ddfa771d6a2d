package yardstick.magics.rag.read;

import java.nio.file.Path;
import java.util.List;

/** Plain text: paragraphs at blank lines, no headings. */
final class PlainTextReader implements DocumentReader {
    @Override
    public List<SourceDocument> read(Path file, String id) throws SkippedFileException {
        String text = TextFiles.read(file);
        return List.of(new SourceDocument(id, text, Paragraphs.split(text, 0, text.length(), 0, "")));
    }
}
