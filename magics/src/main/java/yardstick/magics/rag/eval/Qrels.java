package yardstick.magics.rag.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import yardstick.magics.rag.RagException;

/**
 * Relevance judgements: query id to (document id to grade). Reads the BEIR layout ({@code query-id TAB corpus-id TAB
 * score}, header optional) and TREC's ({@code qid 0 docid grade}). Grades of 0 or less mean not relevant.
 */
public final class Qrels {
    private final Map<String, Map<String, Integer>> judgements;

    public Qrels(Map<String, Map<String, Integer>> judgements) {
        Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
        judgements.forEach((q, docs) -> copy.put(q, Collections.unmodifiableMap(new LinkedHashMap<>(docs))));
        this.judgements = Collections.unmodifiableMap(copy);
    }

    public static Qrels read(Path file) {
        List<String> lines = lines(file, "qrels");
        Map<String, Map<String, Integer>> j = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+");
            if (i == 0 && f.length >= 3 && !isInt(f[f.length - 1])) continue; // header
            String q, d, g;
            if (f.length == 3) {
                q = f[0]; d = f[1]; g = f[2];
            } else if (f.length == 4) {
                q = f[0]; d = f[2]; g = f[3];
            } else {
                throw new RagException("qrels " + file.getFileName() + " line " + (i + 1)
                        + ": expected query-id, doc-id, grade (or TREC's qid 0 docid grade), got '" + line + "'");
            }
            if (!isInt(g)) {
                throw new RagException("qrels " + file.getFileName() + " line " + (i + 1) + ": grade '" + g
                        + "' is not an integer");
            }
            j.computeIfAbsent(q, k -> new LinkedHashMap<>()).put(d, Integer.parseInt(g));
        }
        if (j.isEmpty()) throw new RagException("qrels " + file.getFileName() + " has no judgements");
        return new Qrels(j);
    }

    /** Document id to grade for a query; empty when the query has none. */
    public Map<String, Integer> of(String queryId) {
        return judgements.getOrDefault(queryId, Map.of());
    }

    public java.util.Set<String> queryIds() {
        return judgements.keySet();
    }

    static List<String> lines(Path file, String what) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RagException("no such " + what + " file: " + file);
        } catch (IOException e) {
            throw new RagException("cannot read " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isInt(String s) {
        try {
            Integer.parseInt(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
