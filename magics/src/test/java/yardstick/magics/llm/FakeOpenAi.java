package yardstick.magics.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-process server speaking OpenAI's chat completions wire format byte for byte: JSON answers, server-sent-event
 * streams ending in {@code data: [DONE]}, and scripted failures (429 with retry-after, 500, 401, slow or malformed
 * answers). By default it answers "echo: " and the last user message, with one token per word.
 */
public final class FakeOpenAi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to answer one request with. */
    public interface Reply {
        void send(HttpExchange ex, JsonNode request) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Function<JsonNode, Reply> fallback = r -> echo(r, 0);
    public volatile long delayMs;

    public FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Answers the next requests, in order, with these replies; after them the fallback answers. */
    public FakeOpenAi then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    public FakeOpenAi fallback(Function<JsonNode, Reply> f) {
        fallback = f;
        return this;
    }

    public int count() {
        return requests.size();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (ex) {
            JsonNode request = JSON.readTree(ex.getRequestBody().readAllBytes());
            requests.add(request);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            if (delayMs > 0) Thread.sleep(delayMs);
            Reply r = script.poll();
            if (r == null) r = fallback.apply(request);
            r.send(ex, request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientWentAway) {
            // the client cancelled: nothing to answer
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The last user message of a request. */
    public static String lastUser(JsonNode request) {
        String text = "";
        for (JsonNode m : request.path("messages")) if (m.path("role").asText().equals("user")) text = m.path("content").asText();
        return text;
    }

    public static Reply echo(JsonNode request, int unused) {
        String text = "echo: " + lastUser(request);
        return json(text, lastUser(request).split("\\s+").length, text.split("\\s+").length);
    }

    /** A chat.completion object as OpenAI sends it. */
    public static Reply json(String content, int promptTokens, int completionTokens) {
        return (ex, req) -> {
            String body = "{\n  \"id\": \"chatcmpl-abc123\",\n  \"object\": \"chat.completion\",\n  \"created\": 1741569952,\n"
                    + "  \"model\": " + JSON.writeValueAsString(req.path("model").asText()) + ",\n  \"choices\": [\n    {\n"
                    + "      \"index\": 0,\n      \"message\": {\n        \"role\": \"assistant\",\n        \"content\": "
                    + JSON.writeValueAsString(content) + ",\n        \"refusal\": null,\n        \"annotations\": []\n      },\n"
                    + "      \"logprobs\": null,\n      \"finish_reason\": \"stop\"\n    }\n  ],\n  \"usage\": {\n"
                    + "    \"prompt_tokens\": " + promptTokens + ",\n    \"completion_tokens\": " + completionTokens + ",\n"
                    + "    \"total_tokens\": " + (promptTokens + completionTokens) + "\n  },\n  \"service_tier\": \"default\"\n}\n";
            raw(200, "application/json", body, Map.of()).send(ex, req);
        };
    }

    /** A stream of chat.completion.chunk events, one per piece, then the usage chunk and {@code data: [DONE]}. */
    public static Reply stream(List<String> pieces, int promptTokens, int completionTokens, long pauseMs) {
        return (ex, req) -> {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"m\","
                    + "\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[";
            event(out, head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}");
            for (String p : pieces) {
                if (pauseMs > 0) Thread.sleep(pauseMs);
                event(out, head + "{\"index\":0,\"delta\":{\"content\":" + JSON.writeValueAsString(p)
                        + "},\"logprobs\":null,\"finish_reason\":null}]}");
            }
            event(out, head + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}");
            event(out, head + "],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
                    + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}}");
            event(out, "[DONE]");
        };
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Any status, content type, body and headers. */
    public static Reply raw(int status, String contentType, String body, Map<String, String> headers) {
        return (ex, req) -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            if (b.length > 0) ex.getResponseBody().write(b);
        };
    }

    /** An OpenAI error object with a status. */
    public static Reply error(int status, String message, Map<String, String> headers) {
        String body = "{\n    \"error\": {\n        \"message\": \"" + message + "\",\n        \"type\": \"invalid_request_error\",\n"
                + "        \"param\": null,\n        \"code\": null\n    }\n}\n";
        return raw(status, "application/json", body, headers);
    }

    /** Waits, then answers. */
    public static Reply slow(long ms, Reply then) {
        return (ex, req) -> {
            Thread.sleep(ms);
            then.send(ex, req);
        };
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
