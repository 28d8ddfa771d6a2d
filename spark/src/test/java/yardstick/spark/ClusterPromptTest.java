package yardstick.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import yardstick.magics.TestNotebook;
import yardstick.magics.llm.FakeOpenAi;

/**
 * {@code %%prompt --engine spark} on a real standalone cluster (a master and two workers on loopback, one start for
 * the class), against the in-process OpenAI-compatible server: the same rows as the kernel's batch, Parquet and
 * JSONL both ways, bad input, and an executor killed in the middle of a job.
 */
class ClusterPromptTest {
    private static final ObjectMapper JSON = new ObjectMapper();
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
        assertTrue(nb.stdout().contains("2 task slots"), nb.stdout());
    }

    @AfterAll
    static void stop() {
        nb.close();
        cluster.close();
        FakeEndpoint.stop(llm);
    }

    static Path questions(String name, int n) throws Exception {
        return questions(home, name, n);
    }

    static Path questions(Path home, String name, int n) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) lines.add("{\"id\":" + i + ",\"question\":\"question number " + i + "\"}");
        return Files.write(home.resolve(name), lines);
    }

    @Test
    void theClusterAnswersWithTheSameRowsAsTheKernel() throws Exception {
        int n = 60;
        questions("same.jsonl", n);
        StringBuilder ids = new StringBuilder(), texts = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ids.append(i == 0 ? "" : ",").append(i);
            texts.append(i == 0 ? "" : ",").append("\"question number ").append(i).append('"');
        }
        nb.ok("var qs = tech.tablesaw.api.Table.create(\"qs\", tech.tablesaw.api.IntColumn.create(\"id\", new int[]{" + ids
                + "}), tech.tablesaw.api.StringColumn.create(\"question\", new String[]{" + texts + "}));");
        String template = "Answer in one line: {{question}} ({{tone}})";
        nb.ok("String tone = \"briefly\";");
        Table kernel = (Table) nb.ok("%%prompt --over qs --concurrency 4 --temperature 0 --no-cache\n" + template);
        Table spark = (Table) nb.ok("%%prompt --over same.jsonl --engine spark --output same.parquet --concurrency 4 "
                + "--temperature 0 --no-cache --sample 1000\n" + template);
        assertTrue(nb.stdout().contains(n + " rows written to " + home.resolve("same.parquet")), nb.stdout());
        assertEquals(n, spark.rowCount());
        assertEquals(List.of("id", "question", "output", "latency_ms", "prompt_tokens", "completion_tokens", "cost", "cached", "error"),
                spark.columnNames());
        Map<Long, Integer> byId = new HashMap<>();
        for (int i = 0; i < n; i++) byId.put(spark.longColumn("id").get(i), i);
        assertEquals(n, byId.size());
        for (Row k : kernel) {
            Row s = spark.row(byId.get((long) k.getInt("id")));
            assertEquals(k.getString("output"), s.getString("output"));
            assertEquals("echo: Answer in one line: question number " + k.getInt("id") + " (briefly)", s.getString("output"));
            assertEquals(k.getString("error"), s.getString("error"));
            assertEquals(k.getInt("prompt_tokens"), s.getInt("prompt_tokens"));
            assertEquals(k.getInt("completion_tokens"), s.getInt("completion_tokens"));
            assertEquals(k.getBoolean("cached"), s.getBoolean("cached"));
        }
    }

    @Test
    void parquetInJsonlOutAndTheResultColumnsGetASuffixLikeTheKernels() throws Exception {
        questions("first.jsonl", 20);
        nb.ok("%%prompt --over first.jsonl --engine spark --output first.parquet\nSay: {{question}}");
        nb.ok("%%prompt --over first.parquet --engine spark --output again.jsonl\nRepeat: {{output}}");
        List<JsonNode> rows = jsonl(home.resolve("again.jsonl"));
        assertEquals(20, rows.size());
        for (JsonNode r : rows) {
            assertEquals("echo: Repeat: echo: Say: question number " + r.get("id").asInt(), r.get("output_2").asText());
            assertEquals("", r.get("error_2").asText());
        }
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        Files.writeString(home.resolve("broken.jsonl"), "{\"question\":\"fine\"}\n{\"question\": oops\n");
        String e = nb.fails("%%prompt --over broken.jsonl --engine spark --output broken.parquet\n{{question}}");
        assertTrue(e.contains("cannot read " + home.resolve("broken.jsonl") + " as jsonl") && e.contains("alformed"), e);
        questions("ok.jsonl", 3);
        e = nb.fails("%%prompt --over ok.jsonl --engine spark --output ok.parquet\n{{nosuchcolumn}}");
        assertTrue(e.contains("placeholder {{nosuchcolumn}} has no value"), e);
        e = nb.fails("%%prompt --over missing.jsonl --engine spark --output m.parquet\n{{question}}");
        assertTrue(e.contains("cannot read") && e.contains("missing.jsonl"), e);
        assertFalse(Files.exists(home.resolve("ok.parquet")));
        // The driver is still there for the next cell.
        nb.ok("%%prompt --over ok.jsonl --engine spark --output ok.parquet\n{{question}}");
    }

    @Test
    void anExecutorKilledMidJobLosesAndRepeatsNoRow() throws Exception {
        int n = 160;
        questions("kill.jsonl", n);
        llm.delayMs = 50;
        long before = llm.count();
        // The cell runs here; a second thread kills one executor once the job is well under way.
        CompletableFuture<Long> killed = CompletableFuture.supplyAsync(() -> {
            long deadline = System.currentTimeMillis() + 240_000;
            while (llm.count() < before + 40 && System.currentTimeMillis() < deadline) pause();
            List<ProcessHandle> executors = cluster.executors();
            if (executors.isEmpty() || llm.count() >= before + n) return -1L;
            executors.get(0).destroyForcibly();
            return executors.get(0).pid();
        });
        try {
            nb.ok("%%prompt --over kill.jsonl --engine spark --output kill-out --output-format jsonl "
                    + "--concurrency 4 --partitions 8 --no-cache\nQ: {{question}}");
        } finally {
            llm.delayMs = 0;
        }
        assertTrue(killed.get() > 0, "no executor was killed while the job ran");
        // Spark saw the executor go while the job ran. Whether the lost tasks asked their rows again depends on where
        // they were (prompting or writing), so the proof is in the output: every row, once.
        assertTrue(driverLog().contains("Lost executor"), "the driver never noticed the killed executor");
        List<JsonNode> rows = jsonl(home.resolve("kill-out"));
        assertEquals(n, rows.size());
        assertEquals(n, rows.stream().map(r -> r.get("id").asInt()).distinct().count());
        for (JsonNode r : rows) assertEquals("echo: Q: question number " + r.get("id").asInt(), r.get("output").asText());
    }

    static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String driverLog() throws Exception {
        return Files.readString(home.resolve("spark/driver.log"));
    }

    static List<JsonNode> jsonl(Path dir) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) if (!line.isBlank()) rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }
}
