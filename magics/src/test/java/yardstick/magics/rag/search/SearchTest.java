package yardstick.magics.rag.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;
import yardstick.magics.rag.Rag;
import yardstick.magics.rag.RagException;
import yardstick.magics.rag.RagIndex;
import yardstick.magics.rag.embed.Embedders;
import yardstick.magics.rag.index.BuildProgress;
import yardstick.magics.rag.index.IndexOptions;

class SearchTest {
    @TempDir static Path home;
    static RagIndex index;

    static final String[][] DOCS = {
            {"cats.txt", "Cats sleep most of the day and hunt small animals at night."},
            {"dogs.txt", "Dogs are loyal companions that enjoy long walks and playing fetch."},
            {"ocean.txt", "The ocean covers most of the planet and regulates the climate."},
            {"cooking.txt", "Slow cooking a stew for hours makes the meat tender."},
            {"finance.txt", "Interest rates rose, so mortgage payments went up for many households."},
            {"space.txt", "Astronauts aboard the station grow lettuce in microgravity."},
            {"sleep.txt", "Adults need seven to nine hours of sleep; too little sleep harms memory."},
            {"pets.md", "# Pets\nA kitten needs vaccinations and a warm place to nap during the day."},
    };

    @BeforeAll
    static void build() throws Exception {
        System.setProperty("yardstick.home", home.toString());
        Path docs = Files.createDirectories(home.resolve("docs"));
        for (String[] d : DOCS) Files.writeString(docs.resolve(d[0]), d[1] + "\n");
        index = Rag.open("animals");
        index.build(docs, List.of("."), IndexOptions.DEFAULTS, Embedders.MINILM, BuildProgress.NONE);
    }

    @AfterAll
    static void close() {
        index.close();
        System.clearProperty("yardstick.home");
    }

    @Test
    void namedIndicesLiveUnderTheYardstickHome() {
        assertEquals(home.resolve("indices/animals"), index.directory());
        assertTrue(Files.exists(index.directory().resolve("write.lock")) || Files.isDirectory(index.directory()));
        assertEquals(DOCS.length, index.chunkCount());
    }

    @Test
    void bm25MatchesStemmedWordsAndMarksThemInTheSnippet() {
        Table t = index.search("sleeping", 3, Mode.BM25);
        assertEquals(List.of("rank", "score", "source", "snippet"), t.columnNames());
        assertEquals("sleep.txt", t.stringColumn("source").get(0));
        assertEquals("Adults need seven to nine hours of **sleep**; too little **sleep** harms memory.",
                t.stringColumn("snippet").get(0));
        assertEquals(1, t.intColumn("rank").get(0));
        assertTrue(t.doubleColumn("score").get(0) > 0);
    }

    @Test
    void vectorSearchFindsMeaningWithoutSharedWords() {
        List<Hit> hits = index.hits("young feline", 2, Mode.VECTOR);
        assertEquals("pets.md", hits.get(0).source(), hits.toString());
        assertEquals("Pets", hits.get(0).heading());
        assertTrue(index.hits("young feline", 5, Mode.BM25).isEmpty(), "no shared words, so BM25 finds nothing");
    }

    @Test
    void hybridIsReciprocalRankFusionOfBothRankings() {
        String q = "how much sleep do cats need";
        List<Hit> lexical = index.hits(q, 100, Mode.BM25);
        List<Hit> semantic = index.hits(q, 100, Mode.VECTOR);
        Map<String, Double> expected = new HashMap<>();
        for (List<Hit> ranking : List.of(lexical, semantic)) {
            for (Hit h : ranking) expected.merge(h.chunkId(), 1.0 / (60 + h.rank()), Double::sum);
        }
        List<Hit> fused = index.hits(q, DOCS.length, Mode.HYBRID);
        assertEquals(expected.size(), fused.size());
        for (int i = 0; i < fused.size(); i++) {
            assertEquals(i + 1, fused.get(i).rank());
            assertEquals(expected.get(fused.get(i).chunkId()), fused.get(i).score(), 1e-6);
            if (i > 0) assertTrue(fused.get(i - 1).score() >= fused.get(i).score());
        }
    }

    @Test
    void badSearchesAreClearErrors() {
        assertEquals("the query is empty", assertThrows(RagException.class, () -> index.hits(" ", 5, Mode.BM25)).getMessage());
        assertEquals("k must be at least 1, got 0",
                assertThrows(RagException.class, () -> index.hits("cats", 0, Mode.BM25)).getMessage());
        assertEquals("unknown search mode 'fuzzy': use hybrid, bm25 or vector",
                assertThrows(RagException.class, () -> Mode.parse("fuzzy")).getMessage());
        assertEquals("no index at " + home.resolve("indices/nothing") + ": build it first with %rag index",
                assertThrows(RagException.class, () -> Rag.open("nothing").search("cats")).getMessage());
        assertEquals("bad index name 'a b': use letters, digits, '.', '_' and '-', or a path",
                assertThrows(RagException.class, () -> Rag.open("a b")).getMessage());
        assertTrue(index.hits("the and of", 5, Mode.BM25).isEmpty(), "stop words alone match nothing");
    }

    @Test
    void evaluateComparesTheThreeModes() throws Exception {
        Path qrels = Files.writeString(home.resolve("qrels.tsv"), "query-id\tcorpus-id\tscore\n"
                + "q1\tsleep.txt\t1\nq2\tfinance.txt\t1\nq3\tpets.md\t1\nq3\tcats.txt\t1\n");
        Path queries = Files.writeString(home.resolve("queries.jsonl"), """
                {"_id": "q1", "text": "How many hours should grown-ups rest at night?"}
                {"_id": "q2", "text": "mortgage interest rates"}
                {"_id": "q3", "text": "caring for a kitten"}
                """);
        var ev = index.evaluate(qrels, queries, 5);
        assertEquals(List.of("bm25", "vector", "hybrid"), ev.table().stringColumn("mode").asList());
        var vector = ev.mode("vector");
        assertEquals(3, vector.queries());
        assertEquals(1.0, vector.mrr10(), "each query's first relevant document ranks first by meaning");
        assertEquals(1.0, vector.recallAtK());
        var bm25 = ev.mode("bm25");
        assertTrue(bm25.mrr10() < 1.0, "q1 shares no word with its document: " + bm25);
        assertEquals(3, ev.chart().getSeriesMap().size());
    }
}
