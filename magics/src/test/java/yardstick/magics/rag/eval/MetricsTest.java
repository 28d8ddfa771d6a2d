package yardstick.magics.rag.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.magics.rag.RagException;

class MetricsTest {
    // Ranking d1..d5; relevant: d2 (grade 1), d4 (grade 2), d9 (grade 1, never retrieved).
    static final List<String> RANKING = List.of("d1", "d2", "d3", "d4", "d5");
    static final Map<String, Integer> JUDGED = Map.of("d2", 1, "d4", 2, "d9", 1, "d3", 0);

    @Test
    void recallCountsRelevantDocumentsInTheTopK() {
        assertEquals(0.0, Metrics.recall(RANKING, JUDGED, 1));
        assertEquals(1 / 3.0, Metrics.recall(RANKING, JUDGED, 2), 1e-12);
        assertEquals(2 / 3.0, Metrics.recall(RANKING, JUDGED, 10), 1e-12);
    }

    @Test
    void reciprocalRankIsOneOverTheFirstRelevantRank() {
        assertEquals(0.5, Metrics.reciprocalRank(RANKING, JUDGED, 10));
        assertEquals(0.0, Metrics.reciprocalRank(RANKING, JUDGED, 1));
        assertEquals(0.0, Metrics.reciprocalRank(List.of("d3"), JUDGED, 10), "grade 0 is not relevant");
    }

    @Test
    void ndcgUsesGradedGainsAndALog2Discount() {
        // DCG = 1/log2(3) + 2/log2(5); ideal order d4 (2), d2 (1), d9 (1): 2/log2(2) + 1/log2(3) + 1/log2(4).
        double dcg = 1 / log2(3) + 2 / log2(5);
        double idcg = 2 + 1 / log2(3) + 1 / log2(4);
        assertEquals(dcg / idcg, Metrics.ndcg(RANKING, JUDGED, 10), 1e-12);
        assertEquals(0.4766, Metrics.ndcg(RANKING, JUDGED, 10), 1e-4); // 1.4923 / 3.1309
        assertEquals(1.0, Metrics.ndcg(List.of("d4", "d2", "d9"), JUDGED, 10), 1e-12);
        assertEquals(0.0, Metrics.ndcg(RANKING, Map.of(), 10));
    }

    @Test
    void evaluatorAveragesOverJudgedQueriesOnly() {
        var qrels = new Qrels(Map.of("q1", Map.of("a", 1), "q2", Map.of("b", 1), "q3", Map.of("z", 1)));
        var queries = Map.of("q1", "first", "q2", "second", "q4", "unjudged");
        Evaluation ev = Evaluator.run("t", qrels, new java.util.TreeMap<>(queries), List.of("m"), 10,
                (mode, q, depth) -> q.equals("first") ? List.of("a", "x") : List.of("x", "y", "b"));
        var m = ev.mode("m");
        assertEquals(2, m.queries());
        assertEquals((1.0 + 1 / 3.0) / 2, m.mrr10(), 1e-12);
        assertEquals(1.0, m.recallAtK());
        assertEquals((1.0 + 1 / log2(4)) / 2, m.ndcg10(), 1e-12);
        assertEquals(List.of("mode", "nDCG@10", "MRR@10", "recall@10", "queries", "p50 ms"), ev.table().columnNames());
        assertEquals(Map.of("m.ndcg_at_10", m.ndcg10(), "m.mrr_at_10", m.mrr10(), "m.recall_at_10", 1.0), ev.metrics());
    }

    @Test
    void qrelsAndQueriesFilesAreReadInBeirAndTrecLayoutsWithClearErrors(@TempDir Path dir) throws Exception {
        Path beir = Files.writeString(dir.resolve("q.tsv"), "query-id\tcorpus-id\tscore\n1\tdA\t1\n1\tdB\t2\n2\tdC\t1\n");
        Qrels q = Qrels.read(beir);
        assertEquals(Map.of("dA", 1, "dB", 2), q.of("1"));
        Path trec = Files.writeString(dir.resolve("q.trec"), "7 0 doc1 1\n7 0 doc2 0\n");
        assertEquals(Map.of("doc1", 1, "doc2", 0), Qrels.read(trec).of("7"));
        Path bad = Files.writeString(dir.resolve("bad.tsv"), "1\tdA\n");
        assertEquals("qrels bad.tsv line 1: expected query-id, doc-id, grade (or TREC's qid 0 docid grade), got '1\tdA'",
                assertThrows(RagException.class, () -> Qrels.read(bad)).getMessage());
        assertEquals("no such qrels file: " + dir.resolve("none.tsv"),
                assertThrows(RagException.class, () -> Qrels.read(dir.resolve("none.tsv"))).getMessage());

        Path jsonl = Files.writeString(dir.resolve("queries.jsonl"), "{\"_id\": \"1\", \"text\": \"a claim\"}\n");
        assertEquals(Map.of("1", "a claim"), Queries.read(jsonl));
        Path noText = Files.writeString(dir.resolve("nt.jsonl"), "{\"_id\": \"1\"}\n");
        assertEquals("queries nt.jsonl line 1: needs \"_id\" (or \"id\") and \"text\"",
                assertThrows(RagException.class, () -> Queries.read(noText)).getMessage());
        var noMatch = new Qrels(Map.of("9", Map.of("d", 1)));
        assertEquals("no query in the queries file has a relevant document in the qrels file (do their ids match?)",
                assertThrows(RagException.class, () -> Evaluator.run("t", noMatch, Map.of("1", "x"), List.of("m"), 10,
                        (m, qq, d) -> List.of())).getMessage());
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
