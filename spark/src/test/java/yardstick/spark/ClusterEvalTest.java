package yardstick.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import yardstick.magics.TestNotebook;
import yardstick.magics.eval.Evals;
import yardstick.magics.llm.FakeOpenAi;

/**
 * {@code %%eval --engine spark} on a real standalone cluster (a master and two workers on loopback), against the
 * in-process OpenAI-compatible server: the same rows and the same summary as the kernel's {@code %%eval} for the
 * built-in scorers and the judge, and for a scorer class, a lambda scorer and a lambda system defined in cells;
 * a cell object that cannot be serialized, and a row without a field the template needs, fail before any call.
 */
class ClusterEvalTest {
    @TempDir
    static Path home;
    static StandaloneCluster cluster;
    static FakeOpenAi llm;
    static TestNotebook nb;

    @BeforeAll
    static void start() throws Exception {
        llm = FakeEndpoint.start(home);
        llm.fallback(ClusterEvalTest::grader);
        cluster = StandaloneCluster.start(home, 2, 1);
        nb = new TestNotebook(home);
        nb.ok("%spark connect " + cluster.url());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            // Some answers are what the echo model says, so exact and contains score both ways.
            String answer = i % 3 == 0 ? "echo: Q: question " + i : i % 3 == 1 ? "question " + i : "something else";
            lines.add("{\"id\":\"q" + i + "\",\"question\":\"question " + i + "\",\"answer\":\"" + answer + "\"}");
        }
        Files.write(home.resolve("qa.jsonl"), lines);
        nb.ok("%eval load qa qa.jsonl");
        nb.ok("%%judge qa --model fake-model --shots 0\nIs the answer right? 5 when it is.");
        nb.ok("import yardstick.magics.eval.*;");
    }

    /**
     * The fake endpoint's answers: an echo, or for a judge a grade from what it is shown, so both engines get the same
     * grade for the same prompt; every seventh grade is unreadable (a judge failure, left out of the mean).
     */
    static FakeOpenAi.Reply grader(JsonNode req) {
        String system = req.path("messages").path(0).path("content").asText();
        if (!system.startsWith("You grade one answer")) return FakeOpenAi.echo(req, 0);
        int h = Math.floorMod(FakeOpenAi.lastUser(req).hashCode(), 35);
        return FakeOpenAi.json(h % 7 == 0 ? "I cannot tell." : "Score: " + (h % 5 + 1) + "\nRationale: graded " + h, 10, 5);
    }

    @AfterAll
    static void stop() {
        nb.close();
        cluster.close();
        FakeEndpoint.stop(llm);
    }

    @Test
    void builtInScorersAndTheJudgeGiveTheKernelsRowsAndSummary() throws Exception {
        String scorers = "exact,contains,rouge,regex:[0-9]+,json,judge";
        Table kernel = (Table) nb.ok("%%eval qa --model fake-model --scorers " + scorers + "\nQ: {{question}}");
        Table kernelRows = Evals.last("qa").rows();
        Table spark = (Table) nb.ok("%%eval qa --engine spark --model fake-model --scorers " + scorers
                + " --output builtin.jsonl\nQ: {{question}}");
        assertTrue(nb.stdout().contains("24 scored rows written to " + home.resolve("builtin.jsonl")), nb.stdout());
        assertSameRows(kernelRows, ClusterPromptTest.jsonl(home.resolve("builtin.jsonl")), List.of("exact", "contains", "rouge_l", "regex", "json", "judge"));
        assertSameSummary(kernel, spark);
        // The judge was asked and failed now and then: both kinds of score are in the comparison.
        assertTrue(kernel.intColumn("judge_failures").getInt(0) > 0 && kernel.intColumn("judge_failures").getInt(0) < 24, kernel.print());
        assertTrue(kernel.doubleColumn("exact_mean").getDouble(0) > 0 && kernel.doubleColumn("exact_mean").getDouble(0) < 1, kernel.print());
    }

    @Test
    void aScorerClassALambdaScorerAndALambdaSystemFromCellsRunOnTheExecutors() throws Exception {
        assertEquals(48, cellCodeOnBothEngines(nb, home).size());
        // Executors in JVMs of their own loaded the cell classes from the driver's REPL class folder.
        List<String> logs = new ArrayList<>();
        try (var files = Files.find(home, 4, (p, a) -> p.getFileName().toString().equals("stderr") && p.toString().contains("/work-"))) {
            for (Path f : files.toList()) logs.add(Files.readString(f));
        }
        assertEquals(2, logs.size());
        for (String log : logs) assertTrue(log.contains("Using REPL class URI: spark://") && !log.contains("/artifacts/"), log);
    }

    @Test
    void aCellObjectThatCannotBeSerializedIsNamedBeforeAnyCall() throws Exception {
        nb.ok("""
                class Held implements Scorer {
                    final Thread worker = new Thread(() -> {});
                    public String name() { return "held"; }
                    public Score score(Map<String, String> row, String output) { return Score.of(1); }
                }""");
        nb.ok("Evals.scorer(new Held());");
        long before = llm.count();
        String e = nb.fails("%%eval qa --engine spark --model fake-model --scorers exact,held --output held.jsonl\nQ: {{question}}");
        assertTrue(e.contains("scorer 'held' (Held) cannot go to Spark executors") && e.contains("java.lang.Thread"), e);
        assertEquals(before, llm.count());
        assertFalse(Files.exists(home.resolve("held.jsonl")));
    }

    @Test
    void aRowWithoutAFieldTheTemplateNeedsIsNamedBeforeAnyCall() throws Exception {
        Files.writeString(home.resolve("holes.jsonl"), "{\"id\":\"a\",\"question\":\"q1\",\"answer\":\"x\"}\n{\"id\":\"b\",\"answer\":\"y\"}\n");
        long before = llm.count();
        String e = nb.fails("%%eval --engine spark --over holes.jsonl --model fake-model --output holes-out.jsonl\nQ: {{question}}");
        assertTrue(e.contains("the row with key b of " + home.resolve("holes.jsonl") + " has no field 'question', which the template "
                + "needs as {{question}}; nothing was sent"), e);
        e = nb.fails("%%eval qa --engine spark --model fake-model --scorers exact:reference --output holes-out.jsonl\nQ: {{question}}");
        assertTrue(e.contains("eval set qa has no field 'reference', which scorer exact compares with; nothing was sent"), e);
        assertEquals(before, llm.count());
        assertFalse(Files.exists(home.resolve("holes-out.jsonl")));
        // --over data scored against the set's judge: NAME names the set, the rows come from the file.
        Files.writeString(home.resolve("holes.jsonl"), "{\"id\":\"a\",\"question\":\"q1\",\"answer\":\"echo: Q: q1\"}\n");
        Table s = (Table) nb.ok("%%eval qa --engine spark --over holes.jsonl --model fake-model --scorers exact,judge --output holes-out.jsonl\nQ: {{question}}");
        assertEquals(1.0, s.doubleColumn("exact_mean").getDouble(0));
        // Outputs the data has already (a column) are scored with no model call.
        Files.writeString(home.resolve("made.jsonl"), "{\"id\":\"a\",\"said\":\"Paris\",\"answer\":\"Paris\"}\n"
                + "{\"id\":\"b\",\"said\":\"Lyon\",\"answer\":\"Paris\"}\n{\"id\":\"c\",\"answer\":\"Rome\"}\n");
        long calls = llm.count();
        s = (Table) nb.ok("%%eval --engine spark --over made.jsonl --outputs said --scorers exact --output made-out.jsonl\n");
        assertEquals(calls, llm.count());
        assertEquals("said", s.stringColumn("model").get(0));
        assertEquals(0.5, s.doubleColumn("exact_mean").getDouble(0));
        assertEquals(1, s.intColumn("failed_calls").getInt(0));
    }

    /**
     * Defines a scorer class, a lambda scorer and a lambda system in cells and runs set qa with them (and exact) in
     * the kernel, then on Spark; checks that the rows and summaries are the same and returns Spark's rows.
     */
    static List<JsonNode> cellCodeOnBothEngines(TestNotebook nb, Path home) throws Exception {
        nb.ok("""
                class Ends implements Scorer {
                    private final String suffix;
                    Ends(String suffix) { this.suffix = suffix; }
                    public String name() { return "ends"; }
                    public Score score(Map<String, String> row, String output) {
                        return Score.of(output.endsWith(suffix) ? 1 : output.length() % 3, "length " + output.length());
                    }
                }""");
        nb.ok("Evals.scorer(new Ends(\"7!\"));");
        nb.ok("Evals.scorer(\"words\", (row, out) -> Score.of(out.split(\" \").length + row.get(\"answer\").length()));");
        nb.ok("Evals.system(\"shouty\", (row, prompt) -> prompt.toUpperCase() + \"!\");");
        String cell = " --model shouty,fake-model --scorers exact,ends,words\nQ: {{question}}";
        Table kernel = (Table) nb.ok("%%eval qa" + cell);
        Table kernelRows = Evals.last("qa").rows();
        Table spark = (Table) nb.ok("%%eval qa --engine spark --output cells.jsonl" + cell);
        List<JsonNode> rows = ClusterPromptTest.jsonl(home.resolve("cells.jsonl"));
        assertSameRows(kernelRows, rows, List.of("exact", "ends", "words"));
        assertSameSummary(kernel, spark);
        assertTrue(rows.stream().anyMatch(r -> r.get("output").asText().equals("Q: QUESTION 7!") && r.get("ends").asDouble() == 1), rows.toString());
        return rows;
    }

    /** Every kernel row (key, model) has its Spark row with the same output, error, scores and notes. */
    static void assertSameRows(Table kernel, List<JsonNode> spark, List<String> scorers) {
        assertEquals(kernel.rowCount(), spark.size());
        Map<String, JsonNode> byKey = new HashMap<>();
        for (JsonNode r : spark) byKey.put(r.get("key").asText() + "\t" + r.get("model").asText(), r);
        assertEquals(kernel.rowCount(), byKey.size());
        for (Row k : kernel) {
            JsonNode s = byKey.get(k.getString("key") + "\t" + k.getString("model"));
            String where = k.getString("key") + " " + k.getString("model");
            assertEquals(k.getString("output"), s.get("output").asText(), where);
            assertEquals(k.getString("error"), s.get("error").asText(), where);
            for (String sc : scorers) {
                if (k.isMissing(sc)) assertTrue(s.path(sc).isMissingNode() || s.get(sc).isNull(), where + " " + sc + ": " + s);
                else assertEquals(k.getDouble(sc), s.get(sc).asDouble(), 1e-12, where + " " + sc);
                String note = k.columnNames().contains(sc + "_note") ? k.getString(sc + "_note") : "";
                assertEquals(note, s.get(sc + "_note").asText(), where + " " + sc + " note");
            }
        }
    }

    static void assertSameSummary(Table kernel, Table spark) {
        assertEquals(kernel.columnNames(), spark.columnNames());
        assertEquals(kernel.rowCount(), spark.rowCount());
        for (int r = 0; r < kernel.rowCount(); r++) {
            for (String c : kernel.columnNames()) {
                Object k = kernel.column(c).get(r), s = spark.column(c).get(r);
                if (k instanceof Double kd) assertEquals(kd, (Double) s, 1e-9, c);
                else assertEquals(k, s, c);
            }
        }
    }
}
