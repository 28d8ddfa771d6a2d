package yardstick.magics.rag.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import yardstick.magics.rag.RagException;

/** Query id to query text, from JSONL ({@code {"_id", "text"}}, BEIR's layout) or TSV ({@code id TAB text}). */
public final class Queries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Queries() {}

    public static Map<String, String> read(Path file) {
        List<String> lines = Qrels.lines(file, "queries");
        boolean json = file.getFileName().toString().endsWith(".jsonl") || file.getFileName().toString().endsWith(".json");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            if (json) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (Exception e) {
                    throw new RagException("queries " + file.getFileName() + " line " + (i + 1) + " is not JSON");
                }
                JsonNode id = n.has("_id") ? n.get("_id") : n.get("id");
                if (id == null || !n.hasNonNull("text")) {
                    throw new RagException("queries " + file.getFileName() + " line " + (i + 1)
                            + ": needs \"_id\" (or \"id\") and \"text\"");
                }
                out.put(id.asText(), n.get("text").asText());
            } else {
                int tab = line.indexOf('\t');
                if (tab < 0) {
                    throw new RagException("queries " + file.getFileName() + " line " + (i + 1) + ": expected id TAB text");
                }
                out.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        if (out.isEmpty()) throw new RagException("queries " + file.getFileName() + " has no queries");
        return out;
    }
}
