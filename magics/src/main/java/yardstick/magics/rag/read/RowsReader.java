package yardstick.magics.rag.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * JSONL and CSV/TSV files: each row is a document whose text is the chosen columns joined by a blank line (e.g.
 * {@code title,text}); its id is the id column's value (default {@code _id} or {@code id}), else the row number.
 */
public final class RowsReader implements DocumentReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> textColumns;
    private final String idColumn;

    RowsReader(List<String> textColumns, String idColumn) {
        this.textColumns = List.copyOf(textColumns);
        this.idColumn = idColumn;
    }

    @Override
    public List<SourceDocument> read(Path file, String id) throws SkippedFileException {
        if (TextFiles.looksBinary(file)) throw new SkippedFileException("binary file");
        String name = file.getFileName().toString().toLowerCase();
        List<Map<String, String>> rows = name.endsWith(".csv") || name.endsWith(".tsv")
                ? csv(file, name.endsWith(".tsv")) : jsonl(file);
        List<SourceDocument> docs = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            if (i == 0) checkColumns(row.keySet());
            docs.add(document(rowId(row, i + 1), row, textColumns));
        }
        return docs;
    }

    /**
     * One row as a document: its text columns (those present and not blank), in order, joined by a blank line, each
     * a block. Rows read elsewhere (a Spark dataset) become the same documents.
     */
    public static SourceDocument document(String id, Map<String, String> row, List<String> textColumns) {
        StringBuilder text = new StringBuilder();
        List<Block> blocks = new ArrayList<>();
        for (String column : textColumns) {
            String value = row.get(column);
            if (value == null || value.isBlank()) continue;
            if (!text.isEmpty()) text.append("\n\n");
            int start = text.length();
            text.append(value.strip());
            blocks.add(new Block(start, text.length(), 0, ""));
        }
        return new SourceDocument(id, text.toString(), blocks);
    }

    private String rowId(Map<String, String> row, int number) {
        if (idColumn != null) {
            String v = row.get(idColumn);
            if (v != null && !v.isBlank()) return v;
        }
        for (String c : List.of("_id", "id")) if (row.containsKey(c)) return row.get(c);
        return Integer.toString(number);
    }

    private void checkColumns(java.util.Set<String> present) throws SkippedFileException {
        List<String> missing = textColumns.stream().filter(c -> !present.contains(c)).toList();
        if (missing.size() == textColumns.size()) {
            throw new SkippedFileException("no text column " + String.join(",", textColumns)
                    + " (columns: " + String.join(", ", present) + "); choose one with --text-column");
        }
        if (idColumn != null && !present.contains(idColumn)) {
            throw new SkippedFileException("no id column " + idColumn + " (columns: " + String.join(", ", present) + ")");
        }
    }

    private static List<Map<String, String>> jsonl(Path file) throws SkippedFileException {
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw TextFiles.unreadable(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new SkippedFileException("line " + (i + 1) + " is not JSON: " + e.getOriginalMessage());
            }
            if (!node.isObject()) throw new SkippedFileException("line " + (i + 1) + " is not a JSON object");
            Map<String, String> row = new LinkedHashMap<>();
            node.properties().forEach(f -> row.put(f.getKey(),
                    f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
            rows.add(row);
        }
        return rows;
    }

    private static List<Map<String, String>> csv(Path file, boolean tabs) throws SkippedFileException {
        CSVFormat format = (tabs ? CSVFormat.TDF : CSVFormat.DEFAULT).builder()
                .setHeader().setSkipHeaderRecord(true).get();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser p = CSVParser.parse(r, format)) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord rec : p) rows.add(new LinkedHashMap<>(rec.toMap()));
            return rows;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SkippedFileException("unreadable CSV: " + e.getMessage());
        }
    }
}
