package yardstick.kernel.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import yardstick.kernel.protocol.Json;

/** An nbformat 4 notebook as JSON, with the few operations a headless run needs. */
public final class NotebookFile {
    private final ObjectNode root;

    private NotebookFile(ObjectNode root) {
        this.root = root;
    }

    public static NotebookFile read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) throw new IOException("no notebook at " + path);
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(path.toFile());
        } catch (IOException e) {
            throw new IOException(path + " is not valid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject() || !n.path("cells").isArray()) {
            throw new IOException(path + " is not a Jupyter notebook (no \"cells\" list)");
        }
        if (n.path("nbformat").asInt(4) != 4) {
            throw new IOException(path + " is nbformat " + n.path("nbformat").asInt() + "; only 4 is supported");
        }
        String bad = invalidCell(n.path("cells"));
        if (bad != null) throw new IOException(path + " is not a valid notebook: " + bad);
        return new NotebookFile((ObjectNode) n);
    }

    /**
     * What makes a cell unusable ("cell 3: ..."), or null when every cell is an object whose source is a string or a
     * list of strings, as nbformat 4 requires: anything else is refused rather than guessed at (a number list would
     * otherwise run as its digits).
     */
    static String invalidCell(JsonNode cells) {
        for (int i = 0; i < cells.size(); i++) {
            JsonNode cell = cells.get(i);
            String where = "cell " + (i + 1);
            if (!cell.isObject()) return where + " is " + kind(cell) + ", not an object";
            JsonNode type = cell.get("cell_type");
            if (type != null && !type.isTextual()) return where + ": \"cell_type\" is " + kind(type) + ", not a string";
            JsonNode source = cell.get("source");
            if (source == null || source.isTextual()) continue;
            if (!source.isArray()) {
                return where + ": \"source\" is " + kind(source) + ", not a string or a list of strings";
            }
            for (JsonNode line : source) {
                if (!line.isTextual()) {
                    return where + ": \"source\" is a list holding " + kind(line) + ", not a list of strings";
                }
            }
        }
        return null;
    }

    private static String kind(JsonNode n) {
        String shown = n.toString();
        if (shown.length() > 40) shown = shown.substring(0, 37) + "...";
        return switch (n.getNodeType()) {
            case NUMBER -> "a number (" + shown + ")";
            case BOOLEAN -> "a boolean (" + shown + ")";
            case NULL -> "null";
            case ARRAY -> "a list (" + shown + ")";
            case OBJECT -> "an object (" + shown + ")";
            case STRING -> "a string (" + shown + ")";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    public ArrayNode cells() {
        return (ArrayNode) root.get("cells");
    }

    /** A cell's source, which nbformat allows as one string or a list of lines ({@link #read} checked which). */
    public static String source(JsonNode cell) {
        JsonNode s = cell.path("source");
        if (s.isTextual()) return s.asText();
        StringBuilder sb = new StringBuilder();
        s.forEach(line -> sb.append(line.textValue()));
        return sb.toString();
    }

    public static boolean hasTag(JsonNode cell, String tag) {
        for (JsonNode t : cell.path("metadata").path("tags")) if (tag.equals(t.asText())) return true;
        return false;
    }

    /** A new code cell, tagged, with the source split into lines as Jupyter writes it. */
    public static ObjectNode codeCell(String source, String tag) {
        ObjectNode cell = Json.object().put("cell_type", "code");
        cell.putNull("execution_count");
        cell.putObject("metadata").putArray("tags").add(tag);
        cell.putArray("outputs");
        cell.set("source", lines(source));
        return cell;
    }

    static ArrayNode lines(String text) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                parts.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) parts.add(text.substring(start));
        parts.forEach(arr::add);
        return arr;
    }

    /** Sets the kernelspec metadata to this kernel so the result opens with it in Jupyter. */
    public void markKernel(String name, String displayName) {
        ObjectNode meta = root.with("metadata");
        meta.putObject("kernelspec").put("name", name).put("display_name", displayName).put("language", "java");
        meta.putObject("language_info").put("name", "java").put("version", Runtime.version().toString())
                .put("mimetype", "text/x-java-source").put("file_extension", ".jshell");
    }

    public void write(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".nb", ".tmp");
        Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
