package yardstick.magics.rag.read;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Picks a reader by file extension; files of unknown type are read as plain text unless they are binary. */
public final class Readers {
    static final Set<String> CODE = Set.of("java", "kt", "kts", "scala", "groovy", "py", "js", "mjs", "ts", "tsx",
            "jsx", "go", "rs", "c", "h", "cc", "cpp", "hpp", "cs", "rb", "php", "swift", "sh", "bash", "sql", "r",
            "jl", "lua", "pl", "m", "dart", "ex", "exs", "clj", "hs", "ml", "zig");

    private final DocumentReader text = new PlainTextReader();
    private final DocumentReader markdown = new MarkdownReader();
    private final DocumentReader html = new HtmlReader();
    private final DocumentReader pdf = new PdfReader();
    private final DocumentReader code = new CodeReader();
    private final DocumentReader rows;

    /** {@code textColumns}: the JSONL/CSV columns that hold text; {@code idColumn} may be null. */
    public Readers(List<String> textColumns, String idColumn) {
        this.rows = new RowsReader(textColumns, idColumn);
    }

    public Readers() {
        this(List.of("text"), null);
    }

    public DocumentReader forFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String ext = name.lastIndexOf('.') < 0 ? "" : name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "md", "markdown" -> markdown;
            case "html", "htm", "xhtml" -> html;
            case "pdf" -> pdf;
            case "jsonl", "ndjson", "csv", "tsv" -> rows;
            default -> CODE.contains(ext) ? code : text;
        };
    }

    public List<SourceDocument> read(Path file, String id) throws SkippedFileException {
        return forFile(file).read(file, id);
    }
}
