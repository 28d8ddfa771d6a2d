package yardstick.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;
import yardstick.magics.TestNotebook;
import yardstick.magics.eval.Evals;
import yardstick.magics.llm.FakeOpenAi;
import yardstick.magics.rag.search.Mode;
import yardstick.magics.rag.index.BuildReport;

/**
 * {@code %spark connect sc://}: a real Spark Connect server in front of the two-worker standalone cluster, with none
 * of Yardstick's classes of its own. Prompting, scoring with cell code, and indexing run through it and give what the
 * kernel gives; the notebook's progress bar follows the server's jobs.
 */
class ClusterConnectTest {
    @TempDir
    static Path home;
    static StandaloneCluster cluster;
    static ConnectServer server;
    static FakeOpenAi llm;
    static TestNotebook nb;

    @BeforeAll
    static void start() throws Exception {
        llm = FakeEndpoint.start(home);
        llm.fallback(ClusterEvalTest::grader);
        cluster = StandaloneCluster.start(home, 2, 1);
        server = ConnectServer.start(home, cluster.url());
        nb = new TestNotebook(home);
        nb.ok("%spark connect " + server.url());
        assertTrue(nb.stdout().contains("at " + server.url() + " (Spark Connect client on Java ") && nb.stdout().contains("2 task slots"), nb.stdout());
    }

    @AfterAll
    static void stop() {
        nb.close();
        server.close();
        cluster.close();
        FakeEndpoint.stop(llm);
    }

    @Test
    void promptingGivesTheKernelsRowsWithProgress() throws Exception {
        int n = 40;
        ClusterPromptTest.questions(home, "qs.jsonl", n);
        nb.ok("var qs = tech.tablesaw.api.Table.create(\"qs\", tech.tablesaw.api.IntColumn.create(\"id\", "
                + "java.util.stream.IntStream.range(0, " + n + ").toArray()), tech.tablesaw.api.StringColumn.create(\"question\", "
                + "java.util.stream.IntStream.range(0, " + n + ").mapToObj(i -> \"question number \" + i).toArray(String[]::new)));");
        Table kernel = (Table) nb.ok("%%prompt --over qs --concurrency 4 --no-cache\nAnswer: {{question}}");
        llm.delayMs = 30;
        int before = nb.displays().size();
        Table spark;
        try {
            spark = (Table) nb.ok("%%prompt --over qs.jsonl --engine spark --output qs.parquet --concurrency 4 --no-cache "
                    + "--sample 1000\nAnswer: {{question}}");
        } finally {
            llm.delayMs = 0;
        }
        assertTrue(nb.stdout().contains(n + " rows written to " + home.resolve("qs.parquet")), nb.stdout());
        Map<Long, String> outputs = new HashMap<>();
        for (int i = 0; i < spark.rowCount(); i++) outputs.put(spark.longColumn("id").get(i), spark.stringColumn("output").get(i));
        assertEquals(n, outputs.size());
        for (int i = 0; i < kernel.rowCount(); i++) {
            long id = ((Number) kernel.column("id").get(i)).longValue();
            assertEquals(kernel.stringColumn("output").get(i), outputs.get(id));
            assertEquals("echo: Answer: question number " + id, outputs.get(id));
        }
        // The server streamed the job's stages: the bar showed tasks done of tasks known.
        Pattern tasks = Pattern.compile("\\] \\d+/[1-9]\\d*");
        assertTrue(nb.displays().subList(before, nb.displays().size()).stream().anyMatch(d -> tasks.matcher(d.plain()).find()),
                nb.displays().subList(before, nb.displays().size()).toString());
    }

    @Test
    void deltaLineageAndBadInputGoThroughTheServer() throws Exception {
        ClusterPromptTest.questions(home, "few.jsonl", 3);
        nb.ok("%%prompt --engine spark --over few.jsonl --output few-delta --output-format delta\nSay {{question}}");
        assertTrue(Files.isDirectory(home.resolve("few-delta/_delta_log")));
        Table again = (Table) nb.ok("%%prompt --engine spark --over few-delta --output few-again.parquet\nAgain {{output}}");
        assertTrue(nb.stdout().startsWith("Read " + home.resolve("few-delta") + " (delta version 0); 3 rows written"), nb.stdout());
        assertEquals("echo: Again echo: Say question number 0", again.where(again.longColumn("id").isEqualTo(0)).stringColumn("output_2").get(0));
        Files.writeString(home.resolve("broken.jsonl"), "{\"question\":\"fine\"}\n{\"question\": oops\n");
        String e = nb.fails("%%prompt --over broken.jsonl --engine spark --output broken.parquet\n{{question}}");
        assertTrue(e.contains("cannot read " + home.resolve("broken.jsonl") + " as jsonl") && e.contains("alformed"), e);
        assertFalse(Files.exists(home.resolve("broken.parquet")));
    }

    @Test
    void cellClassesAndLambdasScoreOnTheServersExecutors() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String answer = i % 2 == 0 ? "echo: Q: question " + i : "question " + i;
            lines.add("{\"id\":\"q" + i + "\",\"question\":\"question " + i + "\",\"answer\":\"" + answer + "\"}");
        }
        Files.write(home.resolve("qa.jsonl"), lines);
        nb.ok("%eval load qa qa.jsonl");
        nb.ok("import yardstick.magics.eval.*;");
        assertEquals(24, ClusterEvalTest.cellCodeOnBothEngines(nb, home).size());
    }

    @Test
    void aJudgeWithShotsShowsTheKernelsExamplesOnTheServersExecutors() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) lines.add("{\"id\":\"g" + i + "\",\"question\":\"question " + i + "\"}");
        Files.write(home.resolve("graded.jsonl"), lines);
        nb.ok("%eval load graded graded.jsonl");
        nb.ok("import yardstick.magics.eval.*;");
        for (int i = 0; i < 4; i++) {
            nb.ok("Ratings.save(\"graded\", new Rating(\"g" + i + "\", \"fake-model\", \"echo: Q: question " + i + "\", " + (i + 2)
                    + ", \"\", \"ann\", " + i + "));");
        }
        nb.ok("%%judge graded --model fake-model --shots 3\nIs the answer right? 5 when it is.");
        String cell = " --model fake-model --scorers judge\nQ: {{question}}";
        Table kernel = (Table) nb.ok("%%eval graded" + cell);
        Table kernelRows = Evals.last("graded").rows();
        Table spark = (Table) nb.ok("%%eval graded --engine spark --output graded-out.jsonl" + cell);
        ClusterEvalTest.assertSameRows(kernelRows, ClusterPromptTest.jsonl(home.resolve("graded-out.jsonl")), List.of("judge"));
        ClusterEvalTest.assertSameSummary(kernel, spark);
        // The examples were in the judge's prompts: a rated answer's text, shown to grade another item.
        assertTrue(llm.requests.stream().anyMatch(r -> FakeOpenAi.lastUser(r).contains("Examples people graded")
                && FakeOpenAi.lastUser(r).contains("echo: Q: question 3")), "no judge prompt with examples");
    }

    @Test
    void anIndexBuiltThroughTheServerRanksAsTheKernelsDoes() throws Exception {
        ClusterIndexTest.documents(home);
        BuildReport kernel = (BuildReport) nb.ok("%rag index kernel docs --chunk 64 --overlap 16");
        BuildReport spark = (BuildReport) nb.ok("%rag index spark docs --engine spark --chunk 64 --overlap 16");
        assertEquals(kernel.totalChunks(), spark.totalChunks());
        assertFalse(Files.exists(home.resolve("indices/spark/shards")), "the shards are merged and gone");
        for (String q : List.of("how long to steep green tea", "database transactions")) {
            for (Mode m : Mode.values()) assertEquals(ClusterIndexTest.ids(home, "kernel", q, m), ClusterIndexTest.ids(home, "spark", q, m), m + " " + q);
        }
    }
}
