package yardstick.magics.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.magics.track.Datasets;

/**
 * Named examples to score outputs against: rows of text fields (a question, a reference answer, anything a template
 * or scorer names). Loaded from JSONL, CSV or a Tablesaw table, or built row by row in the notebook. Each row has a
 * stable key (its {@code id} field, else a digest of its content) that ratings and votes refer to; the set's
 * {@link #digest()} changes whenever any row does, so every score says which version of the set it came from.
 */
public final class EvalSet {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Set<String> fields = new LinkedHashSet<>();
    private final List<Map<String, String>> rows = new ArrayList<>();

    public EvalSet(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,100}")) {
            throw new EvalException("an eval set name uses letters, digits, '_', '.' or '-', not '" + name + "'");
        }
        this.name = name;
    }

    public static EvalSet fromJsonl(String name, Path file) {
        EvalSet set = new EvalSet(name);
        List<String> lines = read(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            try {
                set.add(JSON.readTree(line));
            } catch (IOException | EvalException e) {
                throw new EvalException(file.getFileName() + " line " + (i + 1) + ": " + firstLine(e.getMessage()));
            }
        }
        return set;
    }

    public static EvalSet fromCsv(String name, Path file) {
        EvalSet set = new EvalSet(name);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            for (CSVRecord rec : p) set.add(rec.toMap());
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw new EvalException("cannot read " + file + " as CSV: " + firstLine(e.getMessage()));
        }
        return set;
    }

    /** JSONL or CSV by the file's extension. */
    public static EvalSet fromFile(String name, Path file) {
        String f = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!Files.isRegularFile(file)) throw new EvalException("no file " + file);
        if (f.endsWith(".jsonl") || f.endsWith(".ndjson")) return fromJsonl(name, file);
        if (f.endsWith(".csv")) return fromCsv(name, file);
        throw new EvalException("an eval set file is .jsonl or .csv, not " + file.getFileName());
    }

    public static EvalSet fromTable(String name, Table table) {
        EvalSet set = new EvalSet(name);
        for (int r = 0; r < table.rowCount(); r++) {
            Map<String, String> row = new LinkedHashMap<>();
            for (var c : table.columns()) row.put(c.name(), c.isMissing(r) ? "" : c.getString(r));
            set.add(row);
        }
        return set;
    }

    /** Adds a row; values are kept as text. Returns this set, so rows chain. */
    public EvalSet add(Map<String, ?> row) {
        if (row.isEmpty()) throw new EvalException("a row needs at least one field");
        Map<String, String> copy = new LinkedHashMap<>();
        row.forEach((k, v) -> copy.put(k, v == null ? "" : String.valueOf(v)));
        String key = key(copy);
        for (Map<String, String> r : rows) {
            if (key(r).equals(key)) throw new EvalException("eval set " + name + " already has a row with key " + key);
        }
        rows.add(Collections.unmodifiableMap(copy));
        fields.addAll(copy.keySet());
        return this;
    }

    /** Adds a row from alternating field names and values: {@code add("question", "2+2?", "answer", "4")}. */
    public EvalSet add(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new EvalException("add takes field names and values in pairs");
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) row.put(namesAndValues[i], namesAndValues[i + 1]);
        return add(row);
    }

    /** Adds a row from a JSON object's fields (nested values are kept as JSON text). */
    public EvalSet add(JsonNode object) {
        if (!object.isObject()) throw new EvalException("a row is a JSON object, not " + object.getNodeType().name().toLowerCase());
        Map<String, String> row = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            row.put(e.getKey(), v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString());
        }
        return add(row);
    }

    public String name() {
        return name;
    }

    public int size() {
        return rows.size();
    }

    public List<String> fields() {
        return List.copyOf(fields);
    }

    public Map<String, String> row(int i) {
        return rows.get(i);
    }

    public List<Map<String, String>> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The row's key: its {@code id} field, else the first 12 hex digits of a digest of its fields and values. */
    public static String key(Map<String, String> row) {
        String id = row.get("id");
        if (id != null && !id.isBlank()) return id;
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(row).forEach((k, v) -> sb.append(k.length()).append(':').append(k).append(v.length()).append(':').append(v));
        return sha(sb.toString()).substring(0, 12);
    }

    public String key(int i) {
        return key(rows.get(i));
    }

    /** The row with this key, or -1. */
    public int indexOf(String key) {
        for (int i = 0; i < rows.size(); i++) if (key(i).equals(key)) return i;
        return -1;
    }

    /** The content digest (as the tracker records data sets): equal rows in equal order, equal digest. */
    public String digest() {
        return Datasets.digest(toTable());
    }

    /** The rows as a table of text columns, a missing field as an empty string. */
    public Table toTable() {
        Table t = Table.create(name);
        for (String f : fields) {
            StringColumn c = StringColumn.create(f);
            for (Map<String, String> r : rows) c.append(r.getOrDefault(f, ""));
            t.addColumns(c);
        }
        return t;
    }

    /** Writes the rows as JSON lines. */
    public void save(Path file) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, String> r : rows) {
            ObjectNode o = JSON.createObjectNode();
            r.forEach(o::put);
            sb.append(o).append('\n');
        }
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.writeString(file, sb);
        } catch (IOException e) {
            throw new EvalException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "eval set " + name + " (" + rows.size() + " rows, fields " + fields + ", digest " + digest() + ")";
    }

    static String sha(String s) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EvalException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
