package yardstick.magics.finetune.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A job's data as the trainer reads it, with one-line errors that name the file and what is wrong. Plain text or
 * markdown is one document for {@code lm}; CSV (with a header) and JSON lines hold rows with a text column and, for
 * {@code classify}, a label column.
 */
public final class TrainingData {
    /** One labeled example. */
    public record Row(String text, String label) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingData() {}

    /** The text an {@code lm} job trains on: a text file whole, or the text column's rows separated by blank lines. */
    public static String text(Path file, String textColumn) {
        requireFile(file);
        if (!isTable(file)) {
            String s;
            try {
                s = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new JobException("cannot read " + file + ": " + e.getMessage());
            }
            if (s.isBlank()) throw new JobException(file + " is empty: there is nothing to train on");
            return s;
        }
        List<Row> rows = rows(file, textColumn, null);
        StringBuilder b = new StringBuilder();
        for (Row r : rows) b.append(r.text()).append("\n\n");
        return b.toString();
    }

    /** Rows of a CSV or JSON-lines file; {@code labelColumn} null reads text only. */
    public static List<Row> rows(Path file, String textColumn, String labelColumn) {
        requireFile(file);
        if (!isTable(file)) {
            throw new JobException(file + " is not a table: use .csv (with a header) or .jsonl with columns '"
                    + textColumn + "'" + (labelColumn == null ? "" : " and '" + labelColumn + "'"));
        }
        List<Row> rows = name(file).endsWith(".csv") ? csv(file, textColumn, labelColumn) : jsonl(file, textColumn, labelColumn);
        if (rows.isEmpty()) throw new JobException(file + " has no rows: there is nothing to train on");
        return rows;
    }

    private static List<Row> csv(Path file, String textColumn, String labelColumn) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            List<String> header = p.getHeaderNames();
            requireColumn(file, header, textColumn);
            if (labelColumn != null) requireColumn(file, header, labelColumn);
            List<Row> rows = new ArrayList<>();
            for (CSVRecord rec : p) {
                String text = rec.isSet(textColumn) ? rec.get(textColumn) : "";
                String label = labelColumn == null ? null : rec.isSet(labelColumn) ? rec.get(labelColumn) : "";
                rows.add(check(file, rec.getRecordNumber() + 1, text, label, labelColumn));
            }
            return rows;
        } catch (IOException | IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new JobException(file + " is not valid CSV: " + e.getMessage());
        }
    }

    /** Fails on the first line of a JSON-lines file that is not a JSON object, or on a file with no rows. */
    public static void checkJsonLines(Path file) {
        if (objects(file).isEmpty()) throw new JobException(file + " has no rows");
    }

    /** Each non-blank line's object, with its line number; the first line that is not a JSON object is named. */
    private static List<Map.Entry<Integer, JsonNode>> objects(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JobException("cannot read " + file + ": " + e.getMessage());
        }
        List<Map.Entry<Integer, JsonNode>> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                throw new JobException(file + " line " + (i + 1) + " is not valid JSON");
            }
            if (!n.isObject()) throw new JobException(file + " line " + (i + 1) + " is not a JSON object");
            out.add(Map.entry(i, n));
        }
        return out;
    }

    private static List<Row> jsonl(Path file, String textColumn, String labelColumn) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Integer, JsonNode> e : objects(file)) {
            int i = e.getKey();
            JsonNode n = e.getValue();
            if (!n.has(textColumn)) {
                throw new JobException(file + " line " + (i + 1) + " has no column '" + textColumn + "'; it has "
                        + fieldNames(n));
            }
            if (labelColumn != null && !n.has(labelColumn)) {
                throw new JobException(file + " line " + (i + 1) + " has no column '" + labelColumn + "'; it has "
                        + fieldNames(n));
            }
            rows.add(check(file, i + 1, n.get(textColumn).asText(), labelColumn == null ? null : n.get(labelColumn).asText(),
                    labelColumn));
        }
        return rows;
    }

    private static Row check(Path file, long line, String text, String label, String labelColumn) {
        if (labelColumn != null && (label == null || label.isBlank())) {
            throw new JobException(file + " line " + line + " has an empty '" + labelColumn + "'");
        }
        return new Row(text, label == null ? null : label.strip());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void requireColumn(Path file, List<String> header, String column) {
        if (!header.contains(column)) {
            throw new JobException(file + " has no column '" + column + "'; its columns are " + header);
        }
    }

    private static void requireFile(Path file) {
        if (!Files.exists(file)) throw new JobException("data file " + file + " does not exist");
        if (!Files.isRegularFile(file)) throw new JobException("data file " + file + " is not a file");
    }

    static boolean isTable(Path file) {
        String n = name(file);
        return n.endsWith(".csv") || n.endsWith(".jsonl") || n.endsWith(".ndjson");
    }

    private static String name(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT);
    }
}
