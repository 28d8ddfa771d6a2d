package yardstick.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.kernel.display.MimeBundle;
import yardstick.magics.TestNotebook;
import yardstick.magics.llm.FakeOpenAi;
import yardstick.magics.rag.Rag;
import yardstick.magics.rag.index.BuildReport;
import yardstick.magics.rag.index.ChunkFields;
import yardstick.magics.rag.search.Hit;
import yardstick.magics.rag.search.Mode;

/**
 * {@code %rag index --engine spark} on a real standalone cluster (a master and two one-core workers on loopback, one
 * start for the class): the index the kernel builds of the same documents, searched and asked the same; rows from a
 * dataset chunked as the kernel chunks them; bad input; an executor killed while shards are written.
 */
class ClusterIndexTest {
    private static final String[] TOPICS = {
        "green tea is steeped at eighty degrees for two minutes and tastes grassy",
        "espresso coffee is pressed through fine grounds at nine bars of pressure",
        "a bicycle chain moves over the gears when the rider shifts the derailleur",
        "lava flows from the volcano crater after the eruption and cools into basalt",
        "a database index speeds up queries while transactions keep the rows consistent",
        "the violin has four strings tuned in fifths and is played with a bow",
        "glaciers carve valleys as the ice slowly moves downhill over centuries",
        "sourdough bread rises with wild yeast and lactic bacteria in the starter",
    };
    @TempDir
    static Path home;
    static StandaloneCluster cluster;
    static FakeOpenAi llm;
    static TestNotebook nb;

    @BeforeAll
    static void start() throws Exception {
        llm = FakeEndpoint.start(home);
        cluster = StandaloneCluster.start(home, 2, 1);
        nb = new TestNotebook(home);
        nb.ok("%spark connect " + cluster.url());
    }

    @AfterAll
    static void stop() {
        nb.close();
        cluster.close();
        FakeEndpoint.stop(llm);
    }

    /** Markdown and text files about the topics, some several chunks long, and a JSONL file with one bad line. */
    static Path documents(Path home) throws Exception {
        Path docs = Files.createDirectories(home.resolve("docs"));
        for (int f = 0; f < 16; f++) {
            StringBuilder md = new StringBuilder("# Notes " + f + "\n\n");
            for (int p = 0; p < 2 + f % 4; p++) {
                String topic = TOPICS[(f + p * 3) % TOPICS.length];
                md.append("## Part ").append(p).append("\n\n");
                for (int s = 0; s < 3 + p; s++) md.append("Note ").append(f).append('.').append(s).append(": ").append(topic).append(". ");
                md.append("\n\n");
            }
            Files.writeString(docs.resolve("notes-" + f + (f % 3 == 0 ? ".txt" : ".md")), md.toString());
        }
        Files.writeString(docs.resolve("bad.jsonl"), "{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\": oops\n");
        return docs;
    }

    static List<String> ids(Path home, String index, String query, Mode mode) {
        return Rag.open(index, home).hits(query, 10, mode).stream().map(Hit::chunkId).toList();
    }

    @Test
    void theClusterBuildsTheIndexTheKernelBuildsAndAskingItWorks() throws Exception {
        documents(home);
        BuildReport kernel = (BuildReport) nb.ok("%rag index kernel docs --chunk 64 --overlap 16");
        BuildReport spark = (BuildReport) nb.ok("%rag index spark docs --engine spark --chunk 64 --overlap 16");
        assertTrue(nb.stdout().contains("On Spark: " + kernel.totalChunks() + " chunks of 16 documents"), nb.stdout());
        // Four tasks on two executors: the model was loaded at most once in each (none when an earlier test had).
        var loads = java.util.regex.Pattern.compile("from 4 shards(?s).*\\((\\d) loads\\)").matcher(nb.stdout());
        assertTrue(loads.find() && Integer.parseInt(loads.group(1)) <= 2, nb.stdout());
        assertEquals(kernel.summary().lines().findFirst(), spark.summary().lines().findFirst());
        assertTrue(spark.summary().contains("skipped docs/bad.jsonl: line 2 is not JSON"), spark.summary());
        assertEquals(kernel.totalChunks(), spark.totalChunks());
        assertFalse(Files.exists(home.resolve("indices/spark/shards")), "the shards are merged and gone");

        for (String q : List.of("how long to steep green tea", "volcano eruption and lava", "database transactions",
                "shifting bicycle gears", "an instrument with strings")) {
            for (Mode m : Mode.values()) assertEquals(ids(home, "kernel", q, m), ids(home, "spark", q, m), m + " " + q);
        }
        // The index is the kernel's kind: building it again in the kernel finds every file unchanged.
        BuildReport again = (BuildReport) nb.ok("%rag index spark docs --chunk 64 --overlap 16");
        assertEquals(0, again.embeddedFiles());
        assertEquals(16, again.unchangedFiles());

        MimeBundle answer = (MimeBundle) nb.ok("%%ask spark -k 3\nHow long is green tea steeped?");
        List<Hit> top = Rag.open("spark", home).hits("How long is green tea steeped?", 3, Mode.HYBRID);
        assertTrue(answer.plain().endsWith("Sources:\n[1] " + top.get(0).citation() + "\n[2] " + top.get(1).citation()
                + "\n[3] " + top.get(2).citation() + "\n"), answer.plain());
        assertTrue(FakeOpenAi.lastUser(llm.requests.getLast()).contains(top.get(0).text()), "the chunks are in the prompt");
    }

    @Test
    void rowsOfADatasetAreChunkedAsTheKernelChunksThem() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add("{\"id\":\"row-" + i + "\",\"title\":\"Row " + i + "\",\"text\":\"" + (TOPICS[i % TOPICS.length] + ". ").repeat(1 + i % 5) + "\"}");
        }
        Files.write(home.resolve("rows.jsonl"), lines);
        nb.ok("%rag index krows rows.jsonl --text-column title,text --chunk 32 --overlap 8");
        nb.ok("%rag index srows rows.jsonl --engine spark --text-column title,text --chunk 32 --overlap 8 --partitions 3");
        assertTrue(nb.stdout().contains("of 40 documents"), nb.stdout());
        // The same chunks (document, text) in both, though the Spark ids name the row.
        assertEquals(chunks("krows", false), chunks("srows", false));
        List<String> ids = chunks("srows", true);
        assertEquals(ids.size(), new HashSet<>(ids).size());
        assertTrue(ids.contains("rows.jsonl#row-4#1"), ids.toString());
    }

    @Test
    void badInputIsOneClearLineAndLeavesTheIndexAsItWas() throws Exception {
        Files.writeString(home.resolve("broken.jsonl"), "{\"id\":1,\"text\":\"fine\"}\n{\"id\": oops\n");
        String e = nb.fails("%rag index broken broken.jsonl --engine spark");
        assertTrue(e.contains("cannot read " + home.resolve("broken.jsonl") + " as jsonl") && e.contains("alformed"), e);
        assertTrue(nb.fails("%rag search broken \"fine\"").contains("no index at"), "a failed build leaves no index");

        Files.writeString(home.resolve("good.jsonl"), "{\"id\":1,\"text\":\"" + TOPICS[0] + "\"}\n{\"id\":2,\"text\":\"" + TOPICS[3] + "\"}\n");
        nb.ok("%rag index kept good.jsonl --engine spark");
        Files.writeString(home.resolve("twice.jsonl"), "{\"id\":1,\"text\":\"a\"}\n{\"id\":1,\"text\":\"b\"}\n");
        e = nb.fails("%rag index kept twice.jsonl --engine spark");
        assertTrue(e.contains("'1' is the id of 2 rows of " + home.resolve("twice.jsonl") + ": ids must be unique"), e);
        e = nb.fails("%rag index kept good.jsonl --engine spark --text-column body");
        assertTrue(e.contains("no text column body in " + home.resolve("good.jsonl") + " (columns: id, text)"), e);
        e = nb.fails("%rag index kept good.jsonl docs --engine spark");
        assertTrue(e.contains("either documents (files, folders, globs) or one dataset of rows"), e);
        e = nb.fails("%rag index kept good.jsonl --engine spark --embedder openai:http://x#m");
        assertTrue(e.contains("on Spark, index with minilm or dir:PATH"), e);
        // The failed builds left the last good one in place.
        assertEquals("good.jsonl#1#0", Rag.open("kept", home).hits("green tea", 1, Mode.BM25).get(0).chunkId());
        assertEquals(2, Rag.open("kept", home).chunkCount());
    }

    @Test
    void anExecutorKilledWhileShardsAreWrittenLeavesEveryChunkOnce() throws Exception {
        int n = 600;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) lines.add("{\"id\":" + i + ",\"text\":\"row " + i + ": " + TOPICS[i % TOPICS.length] + "\"}");
        Files.write(home.resolve("many.jsonl"), lines);
        Path shards = home.resolve("indices/killed/shards");
        // The cell runs here; a second thread kills one executor once the first shard has landed.
        CompletableFuture<Long> killed = CompletableFuture.supplyAsync(() -> {
            long deadline = System.currentTimeMillis() + 240_000;
            while (!landed(shards) && System.currentTimeMillis() < deadline) ClusterPromptTest.pause();
            List<ProcessHandle> executors = cluster.executors();
            if (executors.isEmpty() || !landed(shards)) return -1L;
            executors.get(0).destroyForcibly();
            return executors.get(0).pid();
        });
        nb.ok("%rag index killed many.jsonl --engine spark --partitions 8");
        assertTrue(killed.get() > 0, "no executor was killed while the job ran");
        assertTrue(Files.readString(home.resolve("spark/driver.log")).contains("Lost executor"),
                "the driver never noticed the killed executor");
        List<String> ids = chunks("killed", true);
        assertEquals(n, ids.size());
        assertEquals(n, new HashSet<>(ids).size());
        assertEquals(n, Rag.open("killed", home).chunkCount());
        assertFalse(Files.exists(shards));
    }

    static boolean landed(Path shards) {
        try (Stream<Path> jobs = Files.list(shards)) {
            for (Path job : jobs.toList()) {
                try (Stream<Path> parts = Files.list(job)) {
                    if (parts.anyMatch(p -> p.getFileName().toString().startsWith("part-"))) return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** Every chunk of an index: its id, or its document and text, sorted. */
    static List<String> chunks(String index, boolean ids) throws Exception {
        List<String> out = new ArrayList<>();
        try (var dir = FSDirectory.open(home.resolve("indices").resolve(index)); DirectoryReader r = DirectoryReader.open(dir)) {
            IndexSearcher s = new IndexSearcher(r);
            StoredFields stored = s.storedFields();
            for (ScoreDoc sd : s.search(new TermQuery(new Term(ChunkFields.KIND, ChunkFields.KIND_CHUNK)), r.maxDoc() + 1).scoreDocs) {
                Document d = stored.document(sd.doc);
                out.add(ids ? d.get(ChunkFields.CHUNK_ID) : d.get(ChunkFields.DOC) + "\t" + d.get(ChunkFields.BODY));
            }
        }
        out.sort(null);
        return out;
    }
}
