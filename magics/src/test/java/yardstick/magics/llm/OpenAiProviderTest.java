package yardstick.magics.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiProviderTest {
    private static final RetryPolicy FAST = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofSeconds(2));
    private FakeOpenAi server;
    private OpenAiProvider provider;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAi();
        provider = new OpenAiProvider(server.baseUrl(), "sk-test", "MY_KEY", Duration.ofSeconds(5), FAST);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ChatRequest ask(String text) {
        return new ChatRequest("gpt-test", List.of(Message.system("Be brief."), Message.user(text)), 0.2, 30);
    }

    @Test
    void answersWithTextAndTokenCountsAndSendsTheRequestAsOpenAiDoes() throws Exception {
        server.then(FakeOpenAi.json("Paris.", 12, 2));
        Completion c = provider.complete(ask("Capital of France?"), null);
        assertEquals("Paris.", c.text());
        assertEquals(12, c.promptTokens());
        assertEquals(2, c.completionTokens());
        var req = server.requests.get(0);
        assertEquals("gpt-test", req.path("model").asText());
        assertEquals("system", req.path("messages").path(0).path("role").asText());
        assertEquals("Capital of France?", req.path("messages").path(1).path("content").asText());
        assertEquals(0.2, req.path("temperature").asDouble());
        assertEquals(30, req.path("max_tokens").asInt());
        assertFalse(req.has("stream"));
        assertEquals("Bearer sk-test", server.authorizations.get(0));
    }

    @Test
    void streamsEachPieceAsItArrivesAndReadsUsageFromTheLastChunk() throws Exception {
        server.then(FakeOpenAi.stream(List.of("Hel", "lo", ", wor", "ld ✓"), 7, 4, 0));
        List<String> pieces = new ArrayList<>();
        Completion c = provider.complete(ask("Say hello"), pieces::add);
        assertEquals(List.of("Hel", "lo", ", wor", "ld ✓"), pieces);
        assertEquals("Hello, world ✓", c.text());
        assertEquals(7, c.promptTokens());
        assertEquals(4, c.completionTokens());
        assertTrue(server.requests.get(0).path("stream").asBoolean());
        assertTrue(server.requests.get(0).path("stream_options").path("include_usage").asBoolean());
    }

    @Test
    void aServerThatIgnoresStreamingStillDeliversTheWholeAnswer() throws Exception {
        server.then(FakeOpenAi.json("whole", 1, 1));
        List<String> pieces = new ArrayList<>();
        assertEquals("whole", provider.complete(ask("x"), pieces::add).text());
        assertEquals(List.of("whole"), pieces);
    }

    @Test
    void retriesA429AfterTheServersRetryAfter() throws Exception {
        server.then(FakeOpenAi.error(429, "Rate limit reached", Map.of("retry-after", "1")), FakeOpenAi.json("ok", 1, 1));
        long t0 = System.nanoTime();
        assertEquals("ok", provider.complete(ask("x"), null).text());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(2, server.count());
        assertTrue(ms >= 900, "waited only " + ms + " ms of the 1 s retry-after");
    }

    @Test
    void retriesServerErrorsWithBackOffThenGivesUpWithTheServersMessage() throws Exception {
        server.then(FakeOpenAi.error(500, "boom", Map.of()), FakeOpenAi.json("recovered", 1, 1));
        assertEquals("recovered", provider.complete(ask("x"), null).text());
        server.then(FakeOpenAi.error(503, "overloaded", Map.of()), FakeOpenAi.error(502, "bad gateway", Map.of()),
                FakeOpenAi.error(500, "still broken", Map.of()));
        LlmException e = assertThrows(LlmException.class, () -> provider.complete(ask("x"), null));
        assertEquals(5, server.count());
        assertTrue(e.getMessage().contains("500 after 2 retries: still broken"), e.getMessage());
        assertFalse(e.fatal());
    }

    @Test
    void a401SaysWhichKeyToSetAndIsFatal() {
        server.then(FakeOpenAi.error(401, "Incorrect API key provided: sk-test.", Map.of()));
        LlmException e = assertThrows(LlmException.class, () -> provider.complete(ask("x"), null));
        assertTrue(e.getMessage().contains("401 Unauthorized: set MY_KEY to a valid API key"), e.getMessage());
        assertTrue(e.fatal());
        assertEquals(1, server.count(), "a 401 is not retried");
    }

    @Test
    void aMalformedAnswerShowsItsFirstBytes() {
        server.then(FakeOpenAi.raw(200, "application/json", "<html>Bad gateway page</html>", Map.of()));
        LlmException e = assertThrows(LlmException.class, () -> provider.complete(ask("x"), null));
        assertTrue(e.getMessage().contains("malformed response"), e.getMessage());
        assertTrue(e.getMessage().contains("'<html>Bad gateway page</html>'"), e.getMessage());

        server.then(FakeOpenAi.raw(200, "application/json", "{\"id\": \"x\", \"choices\": \"nope\"}", Map.of()));
        e = assertThrows(LlmException.class, () -> provider.complete(ask("x"), null));
        assertTrue(e.getMessage().contains("{\"id\": \"x\""), e.getMessage());
    }

    @Test
    void aMalformedStreamChunkShowsItsFirstBytes() {
        server.then(FakeOpenAi.raw(200, "text/event-stream", "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
                + "data: {not json\n\n", Map.of()));
        LlmException e = assertThrows(LlmException.class, () -> provider.complete(ask("x"), s -> {}));
        assertTrue(e.getMessage().contains("malformed response") && e.getMessage().contains("'{not json'"), e.getMessage());
    }

    @Test
    void aSlowServerTimesOutWithAClearMessage() {
        OpenAiProvider impatient = new OpenAiProvider(server.baseUrl(), null, null, Duration.ofMillis(300), FAST);
        server.then(FakeOpenAi.slow(3000, FakeOpenAi.json("late", 1, 1)));
        LlmException e = assertThrows(LlmException.class, () -> impatient.complete(ask("x"), null));
        assertTrue(e.getMessage().startsWith("no answer from " + server.baseUrl() + " within 0 s")
                || e.getMessage().contains("within"), e.getMessage());
    }

    @Test
    void anEndpointThatIsDownGivesOneClearFatalMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OpenAiProvider down = new OpenAiProvider("http://127.0.0.1:" + port + "/v1", null, null, Duration.ofSeconds(2), FAST);
        LlmException e = assertThrows(LlmException.class, () -> down.complete(ask("x"), null));
        assertTrue(e.getMessage().startsWith("cannot reach the model endpoint http://127.0.0.1:" + port + "/v1"), e.getMessage());
        assertTrue(e.fatal());
    }

    @Test
    void anInterruptCancelsTheRequestInFlight() throws Exception {
        server.then(FakeOpenAi.slow(10_000, FakeOpenAi.json("late", 1, 1)));
        assertInterruptible(() -> provider.complete(ask("x"), null));
    }

    @Test
    void aServerThatReportsNoUsageGivesUnknownCountsNotZeros() throws Exception {
        server.then(FakeOpenAi.raw(200, "application/json",
                "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"}}]}", Map.of()));
        Completion c = provider.complete(ask("x"), null);
        assertEquals("hi", c.text());
        assertEquals(Completion.UNKNOWN, c.promptTokens());
        assertEquals(Completion.UNKNOWN, c.completionTokens());
        // A stream without the usage chunk (a server that ignores stream_options).
        server.then(FakeOpenAi.raw(200, "text/event-stream",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\ndata: [DONE]\n\n", Map.of()));
        Completion s = provider.complete(ask("y"), piece -> {});
        assertEquals("a", s.text());
        assertEquals(Completion.UNKNOWN, s.completionTokens());
        Endpoint priced = new Endpoint("p", "openai", server.baseUrl(), "m", null, 1.0, 2.0, Duration.ofSeconds(5), "test");
        assertTrue(Double.isNaN(priced.cost(Completion.UNKNOWN, 4)), "a priced side with an unknown count");
        Endpoint free = new Endpoint("f", "openai", server.baseUrl(), "m", null, 0, 0, Duration.ofSeconds(5), "test");
        assertEquals(0.0, free.cost(Completion.UNKNOWN, Completion.UNKNOWN), "a free endpoint costs nothing, counted or not");
    }

    @Test
    void anInterruptStopsAStreamMidway() throws Exception {
        server.then(FakeOpenAi.stream(List.of("a", "b", "c"), 1, 1, 10_000));
        assertInterruptible(() -> provider.complete(ask("x"), s -> {}));
    }

    @Test
    void aStreamThatStallsMidwayFailsAfterTheTimeoutWithWhatArrivedNamed() throws Exception {
        OpenAiProvider impatient = new OpenAiProvider(server.baseUrl(), "sk-test", "MY_KEY", Duration.ofMillis(400), FAST);
        // The first piece comes at once, the next only after 10 s: the headers beat HttpClient's timeout, the body does not.
        server.then(FakeOpenAi.stream(List.of("a", "b"), 1, 1, 10_000));
        List<String> pieces = new ArrayList<>();
        long t0 = System.nanoTime();
        LlmException e = assertThrows(LlmException.class, () -> impatient.complete(ask("x"), pieces::add));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().contains("stopped sending in the middle of its answer"), e.getMessage());
        assertTrue(e.getMessage().contains("0.4 s"), e.getMessage());
        assertTrue(ms < 5000, "gave up after " + ms + " ms");
        assertEquals(List.of(), pieces, "the stall came before the first piece of text");
        server.then(FakeOpenAi.json("fine", 1, 1));
        assertEquals("fine", impatient.complete(ask("again"), null).text(), "the provider still works after a stall");
    }

    private interface Call {
        void run() throws Exception;
    }

    private void assertInterruptible(Call call) throws Exception {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                call.run();
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        t.start();
        while (server.count() == 0) Thread.sleep(5);
        Thread.sleep(100);
        long t0 = System.nanoTime();
        t.interrupt();
        t.join(5000);
        assertFalse(t.isAlive(), "the call did not stop on interrupt");
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000);
        assertTrue(outcome.get() instanceof InterruptedException, "ended with " + outcome.get());
    }

    @Test
    void rejectsABaseUrlThatIsNotHttp() {
        LlmException e = assertThrows(LlmException.class,
                () -> new OpenAiProvider("ftp://x/v1", null, null, Duration.ofSeconds(1), FAST));
        assertTrue(e.getMessage().contains("not an http(s) URL"));
    }
}
