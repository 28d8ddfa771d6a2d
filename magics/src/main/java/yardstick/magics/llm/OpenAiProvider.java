package yardstick.magics.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The chat completions API ({@code POST BASE/chat/completions}) that OpenAI, Databricks serving endpoints, vLLM,
 * Ollama and llama.cpp's server all speak, with and without server-sent-event streaming. Retries 429 and 5xx
 * answers per its {@link RetryPolicy}; an interrupt cancels the request in flight.
 */
public final class OpenAiProvider implements Provider {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN_BYTES = 200;

    private final String baseUrl;
    private final URI endpoint;
    private final String apiKey;
    private final String keyEnv;
    private final Duration timeout;
    private final RetryPolicy retry;
    private final HttpClient http;

    /**
     * A provider for {@code baseUrl} (such as {@code https://api.openai.com/v1}). {@code apiKey} may be null;
     * {@code keyEnv} names the variable it came from, so a 401 can say which one to set.
     */
    public OpenAiProvider(String baseUrl, String apiKey, String keyEnv, Duration timeout, RetryPolicy retry) {
        BaseUrl base;
        try {
            base = BaseUrl.parse(baseUrl);
        } catch (IllegalArgumentException e) {
            throw LlmException.fatal(e.getMessage());
        }
        this.baseUrl = base.value();
        this.endpoint = base.resolve("/chat/completions");
        this.apiKey = apiKey;
        this.keyEnv = keyEnv == null ? "OPENAI_API_KEY" : keyEnv;
        this.timeout = timeout;
        this.retry = retry;
        this.http = base.newClient();
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public String id() {
        return "openai-compatible " + baseUrl;
    }

    @Override
    public Completion complete(ChatRequest request, Consumer<String> onToken) throws InterruptedException {
        byte[] body = body(request, onToken != null);
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", onToken != null ? "text/event-stream" : "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (apiKey != null && !apiKey.isEmpty()) b.header("Authorization", "Bearer " + apiKey);
            HttpResponse<InputStream> response = send(b.build());
            int status = response.statusCode();
            if (status / 100 == 2) {
                IdleTimeoutStream in = new IdleTimeoutStream(response.body(), timeout);
                try (in) {
                    boolean sse = response.headers().firstValue("Content-Type").orElse("").contains("text/event-stream");
                    if (onToken != null && sse) return readStream(in, onToken);
                    Completion c = readJson(in.readAllBytes());
                    if (onToken != null) onToken.accept(c.text());
                    return c;
                } catch (IOException | LlmException e) {
                    if (Thread.currentThread().isInterrupted()) throw new InterruptedException("interrupted");
                    if (in.stalled()) {
                        throw new LlmException(baseUrl + " stopped sending in the middle of its answer: nothing for "
                                + timeout.toMillis() / 1000.0 + " s (the endpoint's timeout)");
                    }
                    if (e instanceof LlmException le) throw le;
                    throw new LlmException("reading the answer from " + endpoint + " failed: " + e.getMessage());
                }
            }
            byte[] error = drain(response);
            if ((status == 429 || status >= 500) && attempt < retry.maxRetries()) {
                Thread.sleep(retry.delay(attempt + 1, retryAfter(response)).toMillis());
                continue;
            }
            throw failure(status, error, attempt);
        }
    }

    private static byte[] body(ChatRequest request, boolean stream) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", request.model());
        ArrayNode messages = root.putArray("messages");
        for (Message m : request.messages()) messages.addObject().put("role", m.role()).put("content", m.content());
        if (request.temperature() != null) root.put("temperature", request.temperature());
        if (request.maxTokens() != null) root.put("max_tokens", request.maxTokens());
        if (stream) {
            root.put("stream", true);
            // Without this, OpenAI reports no token counts for a streamed answer.
            root.putObject("stream_options").put("include_usage", true);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends asynchronously and waits, so that an interrupt can cancel the exchange instead of leaving it running. */
    private HttpResponse<InputStream> send(HttpRequest request) throws InterruptedException {
        CompletableFuture<HttpResponse<InputStream>> f = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
                throw LlmException.fatal("cannot reach the model endpoint " + baseUrl + " (" + describe(cause)
                        + "): is the server running? It comes from OPENAI_BASE_URL or ~/.yardstick/models.yaml");
            }
            if (cause instanceof HttpTimeoutException) {
                throw new LlmException("no answer from " + baseUrl + " within " + timeout.toSeconds() + " s");
            }
            throw new LlmException("request to " + baseUrl + " failed: " + describe(cause));
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** A JSON object from the server; one that is not, or that carries an error, fails with what it said. */
    private JsonNode answer(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw malformed(bytes);
        }
        if (root == null || !root.isObject()) throw malformed(bytes);
        if (root.has("error")) throw new LlmException(baseUrl + " answered an error: " + errorMessage(root, bytes));
        return root;
    }

    private Completion readJson(byte[] bytes) {
        JsonNode root = answer(bytes);
        JsonNode message = root.path("choices").path(0).path("message");
        if (message.isMissingNode()) throw malformed(bytes);
        JsonNode usage = root.path("usage");
        return Completion.of(message.path("content").asText(""), count(usage, "prompt_tokens"), count(usage, "completion_tokens"));
    }

    /** Reads server-sent events: {@code data:} lines make an event, a blank line ends it, {@code [DONE]} ends all. */
    private Completion readStream(InputStream in, Consumer<String> onToken) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder text = new StringBuilder();
        StringBuilder data = new StringBuilder();
        int[] usage = {Completion.UNKNOWN, Completion.UNKNOWN};
        boolean any = false;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data.isEmpty()) continue;
                String event = data.toString();
                data.setLength(0);
                if (event.equals("[DONE]")) return Completion.of(text.toString(), usage[0], usage[1]);
                chunk(event, text, usage, onToken);
                any = true;
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) data.append('\n');
                data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
            }
            // Comments (": keep-alive") and the event, id and retry fields carry nothing for chat completions.
        }
        if (!data.isEmpty() && !data.toString().equals("[DONE]")) {
            chunk(data.toString(), text, usage, onToken);
            any = true;
        }
        if (!any) throw new LlmException("the stream from " + endpoint + " ended before any answer");
        return Completion.of(text.toString(), usage[0], usage[1]);
    }

    private void chunk(String event, StringBuilder text, int[] usage, Consumer<String> onToken) {
        JsonNode root = answer(event.getBytes(StandardCharsets.UTF_8));
        JsonNode content = root.path("choices").path(0).path("delta").path("content");
        if (content.isTextual() && !content.asText().isEmpty()) {
            text.append(content.asText());
            onToken.accept(content.asText());
        }
        JsonNode u = root.path("usage");
        if (u.isObject()) {
            if (u.path("prompt_tokens").isNumber()) usage[0] = count(u, "prompt_tokens");
            if (u.path("completion_tokens").isNumber()) usage[1] = count(u, "completion_tokens");
        }
    }

    private static int count(JsonNode usage, String field) {
        JsonNode n = usage.path(field);
        return n.isNumber() && n.asInt() >= 0 ? n.asInt() : Completion.UNKNOWN;
    }

    private LlmException failure(int status, byte[] body, int retries) {
        String detail = errorMessage(parse(body), body);
        String after = retries > 0 ? " after " + retries + (retries == 1 ? " retry" : " retries") : "";
        if (status == 401 || status == 403) {
            return LlmException.fatal(baseUrl + " answered " + status + (status == 401 ? " Unauthorized" : " Forbidden")
                    + ": set " + keyEnv + " to a valid API key (%env " + keyEnv + "=...)"
                    + (detail.isEmpty() ? "" : " — the server said: " + detail));
        }
        String message = baseUrl + " answered " + status + after + (detail.isEmpty() ? "" : ": " + detail);
        // A missing model or route fails every row alike.
        return status == 404 ? LlmException.fatal(message) : new LlmException(message);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** The server's own words: OpenAI's {@code error.message}, vLLM's {@code message}, or the first bytes. */
    private static String errorMessage(JsonNode root, byte[] body) {
        if (root != null) {
            JsonNode error = root.path("error");
            if (error.isObject() && error.path("message").isTextual()) return oneLine(error.path("message").asText());
            if (error.isTextual()) return oneLine(error.asText());
            if (root.path("message").isTextual()) return oneLine(root.path("message").asText());
        }
        return firstBytes(body);
    }

    private LlmException malformed(byte[] bytes) {
        return new LlmException("malformed response from " + endpoint + ": first bytes: " + firstBytes(bytes));
    }

    static String firstBytes(byte[] bytes) {
        int n = Math.min(bytes.length, SHOWN_BYTES);
        String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
        return "'" + oneLine(s) + "'" + (bytes.length > n ? "…" : "");
    }

    private static String oneLine(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n").strip();
    }

    private static byte[] drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return in.readNBytes(64 * 1024);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** {@code retry-after-ms}, or {@code retry-after} as seconds or an HTTP date; null when absent or unreadable. */
    public static Duration retryAfter(HttpResponse<?> response) {
        Optional<String> ms = response.headers().firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Duration.ofMillis((long) Double.parseDouble(ms.get().strip()));
            } catch (NumberFormatException e) {
                // fall through to retry-after
            }
        }
        String v = response.headers().firstValue("retry-after").orElse(null);
        if (v == null) return null;
        try {
            return Duration.ofMillis((long) (Double.parseDouble(v.strip()) * 1000));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
