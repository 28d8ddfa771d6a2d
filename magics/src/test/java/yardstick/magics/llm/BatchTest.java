package yardstick.magics.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class BatchTest {
    private FakeOpenAi server;
    @TempDir
    Path cacheDir;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAi();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Model model() {
        Endpoint e = new Endpoint("test", "openai", server.baseUrl(), "m", null, 1.0, 2.0, Duration.ofSeconds(5), "test");
        Provider p = new OpenAiProvider(server.baseUrl(), null, null, Duration.ofSeconds(5),
                new RetryPolicy(1, Duration.ofMillis(5), Duration.ofMillis(50)));
        return new Model(e, p, new ResponseCache(cacheDir));
    }

    private static Table questions(String... qs) {
        return Table.create("questions", StringColumn.create("question", qs));
    }

    private static Batch.Result run(Model m, Table t, String template) {
        return m.batch(t, Template.of(template), n -> null, BatchProgress.NONE);
    }

    @Test
    void oneCallPerRowGivesTheResultColumnsThenTheCacheAnswers() {
        Model m = model().withConcurrency(3);
        Table t = questions("a b", "c", "d e f", "g", "h");
        List<int[]> progress = new ArrayList<>();
        Batch.Result r = m.batch(t, Template.of("Q: {{question}}"), n -> null, (d, f, n) -> progress.add(new int[] {d, f, n}));
        Table out = r.table();
        assertEquals(List.of("question", "output", "latency_ms", "prompt_tokens", "completion_tokens", "cost", "cached", "error"),
                out.columnNames());
        assertEquals("echo: Q: d e f", out.stringColumn("output").get(2));
        assertEquals(4, out.intColumn("prompt_tokens").get(2));
        assertEquals(5, out.intColumn("completion_tokens").get(2));
        assertEquals((4 * 1.0 + 5 * 2.0) / 1000, out.doubleColumn("cost").get(2), 1e-12);
        assertFalse(out.booleanColumn("cached").get(0));
        assertEquals(5, server.count());
        assertTrue(server.maxInFlight() <= 3);
        assertEquals(5, progress.get(progress.size() - 1)[0]);

        Batch.Result again = run(m, t, "Q: {{question}}");
        assertEquals(5, server.count(), "every answer came from the cache");
        assertEquals(5, again.cached());
        assertEquals(0.0, again.cost());
        assertEquals(out.stringColumn("output").asList(), again.table().stringColumn("output").asList());

        run(m.withoutCache(), t, "Q: {{question}}");
        assertEquals(10, server.count());
    }

    @Test
    void countsTheServerDidNotReportAreMissingNotZeroAndTheTotalsSaySo() {
        // A server that reports usage for questions with an "x" only, as some OpenAI-compatible servers never do.
        server.fallback(req -> FakeOpenAi.lastUser(req).contains("x")
                ? FakeOpenAi.json("counted", 3, 1)
                : FakeOpenAi.raw(200, "application/json",
                        "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"uncounted\"},\"finish_reason\":\"stop\"}]}",
                        Map.of()));
        Batch.Result r = run(model().withoutCache(), questions("x1", "y", "x2", "z"), "{{question}}");
        Table out = r.table();
        assertEquals(List.of("counted", "uncounted", "counted", "uncounted"), out.stringColumn("output").asList());
        assertEquals(3, out.intColumn("prompt_tokens").get(0));
        assertTrue(out.intColumn("prompt_tokens").isMissing(1), "no usage is a missing count, not 0");
        assertTrue(out.intColumn("completion_tokens").isMissing(3));
        assertTrue(out.doubleColumn("cost").isMissing(1), "a priced call with unknown counts has an unknown cost");
        assertEquals((3 * 1.0 + 1 * 2.0) / 1000, out.doubleColumn("cost").get(2), 1e-12);
        assertEquals(6, r.promptTokens());
        assertEquals(2, r.completionTokens());
        assertEquals(2, r.uncounted());
        assertEquals(2 * (3 * 1.0 + 1 * 2.0) / 1000, r.cost(), 1e-12, "the total adds the rows that were counted");
    }

    @Test
    void aFailedRowIsMarkedWhileTheOthersComplete() {
        server.fallback(req -> FakeOpenAi.lastUser(req).contains("bad")
                ? FakeOpenAi.error(400, "This model's maximum context length is 8 tokens", Map.of())
                : FakeOpenAi.echo(req, 0));
        Batch.Result r = run(model(), questions("ok 1", "bad", "ok 2"), "{{question}}");
        assertEquals(1, r.failed());
        assertEquals("echo: ok 2", r.table().stringColumn("output").get(2));
        assertEquals("", r.table().stringColumn("error").get(0));
        assertTrue(r.table().stringColumn("error").get(1).contains("400: This model's maximum context length"),
                r.table().stringColumn("error").get(1));
    }

    @Test
    void aMissingPlaceholderStopsBeforeAnyCall() {
        LlmException e = assertThrows(LlmException.class, () -> run(model(), questions("x"), "{{question}} {{context}}"));
        assertTrue(e.getMessage().startsWith("placeholder {{context}} has no value"), e.getMessage());
        assertEquals(0, server.count());
    }

    @Test
    void aFatalErrorStopsTheBatchWithOneMessage() {
        server.fallback(req -> FakeOpenAi.error(401, "Incorrect API key provided", Map.of()));
        LlmException e = assertThrows(LlmException.class, () -> run(model().withConcurrency(2), questions("a", "b", "c", "d", "e", "f"), "{{question}}"));
        assertTrue(e.getMessage().contains("set OPENAI_API_KEY"), e.getMessage());
        assertTrue(server.count() < 6, "the batch went on after a 401");
    }

    @Test
    void resultColumnsThatClashWithInputColumnsGetASuffix() {
        Table first = run(model(), questions("x"), "{{question}}").table();
        Table second = run(model(), first, "judge: {{output}}").table();
        assertEquals("echo: judge: echo: x", second.stringColumn("output_2").get(0));
    }

    @Test
    void placeholdersFallBackToVariables() {
        Batch.Result r = model().batch(questions("x"), Template.of("{{question}} in {{lang}}"),
                n -> n.equals("lang") ? "French" : null, BatchProgress.NONE);
        assertEquals("echo: x in French", r.table().stringColumn("output").get(0));
    }
}
