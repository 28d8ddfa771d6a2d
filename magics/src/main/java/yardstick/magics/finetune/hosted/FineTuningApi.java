package yardstick.magics.finetune.hosted;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import yardstick.magics.llm.BaseUrl;
import yardstick.magics.llm.OpenAiProvider;
import yardstick.magics.llm.RetryPolicy;

/**
 * A client for the fine-tuning API that OpenAI defines and compatible services copy: {@code POST /files} (multipart,
 * {@code purpose=fine-tune}), {@code POST /fine_tuning/jobs}, {@code GET /fine_tuning/jobs/ID}, its {@code /events}
 * and {@code /checkpoints}, and {@code POST .../cancel}. Paths are relative to a base URL ending in {@code /v1}, as in
 * {@code models.yaml}. A 429 or 5xx answer is retried per the {@link RetryPolicy} (honouring {@code Retry-After},
 * capped by its {@code maxDelay}); every other failure is a {@link HostedApiException} with the server's message.
 */
public final class FineTuningApi {
    static final int PAGE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String apiKey;
    private final String keyEnv;
    private final RetryPolicy retry;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * A client for {@code baseUrl}; {@code apiKey} may be null (a local server), {@code keyEnv} names the variable it
     * came from so that a 401 can say which one to set; {@code timeout} bounds each request (uploads included).
     */
    public FineTuningApi(String baseUrl, String apiKey, String keyEnv, RetryPolicy retry, Duration timeout) {
        BaseUrl base;
        try {
            base = BaseUrl.parse(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new HostedApiException(0, e.getMessage());
        }
        this.baseUrl = base.value();
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.keyEnv = keyEnv == null ? "OPENAI_API_KEY" : keyEnv;
        this.retry = retry;
        this.timeout = timeout;
        this.http = base.newClient();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Uploads a JSON-lines file for fine-tuning and returns the file's id ({@code file-...}). */
    public String upload(Path file) throws InterruptedException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new HostedApiException(0, "cannot read " + file + ": " + e.getMessage());
        }
        String boundary = "yardstick-" + UUID.randomUUID();
        byte[] body = multipart(boundary, file.getFileName().toString(), content);
        JsonNode n = send("POST", "/files", "multipart/form-data; boundary=" + boundary, body);
        String id = RemoteJob.text(n, "id");
        if (id == null) throw malformed("/files", n);
        return id;
    }

    /** Deletes an uploaded file (used to leave nothing behind when a launch fails half-way). */
    public void deleteFile(String fileId) throws InterruptedException {
        send("DELETE", "/files/" + encode(fileId), null, null);
    }

    public RemoteJob create(CreateJob job) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", job.model());
        body.put("training_file", job.trainingFile());
        if (job.validationFile() != null) body.put("validation_file", job.validationFile());
        // Unset ones are left out rather than sent as "auto": that is the service's default, and some compatible
        // services take numbers only.
        ObjectNode hp = JSON.createObjectNode();
        if (job.nEpochs() != null) hp.put("n_epochs", job.nEpochs());
        if (job.batchSize() != null) hp.put("batch_size", job.batchSize());
        if (job.learningRateMultiplier() != null) hp.put("learning_rate_multiplier", job.learningRateMultiplier());
        if (!hp.isEmpty()) body.set("hyperparameters", hp);
        if (job.suffix() != null) body.put("suffix", job.suffix());
        if (job.seed() != null) body.put("seed", job.seed());
        return job("/fine_tuning/jobs", send("POST", "/fine_tuning/jobs", "application/json", bytes(body)));
    }

    public RemoteJob job(String jobId) throws InterruptedException {
        String path = "/fine_tuning/jobs/" + encode(jobId);
        return job(path, send("GET", path, null, null));
    }

    /** Asks the service to stop the job and returns it as the service answered. */
    public RemoteJob cancel(String jobId) throws InterruptedException {
        String path = "/fine_tuning/jobs/" + encode(jobId) + "/cancel";
        return job(path, send("POST", path, null, null));
    }

    /**
     * The job's events newer than {@code lastSeen} (null: all of them), oldest first. The API lists events newest first
     * and pages backwards with {@code after}, so this reads pages until it meets {@code lastSeen} or the first event.
     */
    public List<JobEvent> eventsSince(String jobId, String lastSeen) throws InterruptedException {
        List<JobEvent> newestFirst = new ArrayList<>();
        String after = null;
        while (true) {
            String path = "/fine_tuning/jobs/" + encode(jobId) + "/events?limit=" + PAGE
                    + (after == null ? "" : "&after=" + encode(after));
            JsonNode page = send("GET", path, null, null);
            JsonNode data = page.path("data");
            if (!data.isArray()) throw malformed(path, page);
            for (JsonNode n : data) {
                JobEvent e = JobEvent.of(n);
                if (e.id() != null && e.id().equals(lastSeen)) return reversed(newestFirst);
                newestFirst.add(e);
            }
            if (!page.path("has_more").asBoolean(false) || data.isEmpty()) return reversed(newestFirst);
            after = RemoteJob.text(data.get(data.size() - 1), "id");
        }
    }

    /** Every checkpoint the service kept for the job, newest first as the API lists them. */
    public List<Checkpoint> checkpoints(String jobId) throws InterruptedException {
        List<Checkpoint> all = new ArrayList<>();
        String after = null;
        while (true) {
            String path = "/fine_tuning/jobs/" + encode(jobId) + "/checkpoints?limit=" + PAGE
                    + (after == null ? "" : "&after=" + encode(after));
            JsonNode page = send("GET", path, null, null);
            JsonNode data = page.path("data");
            if (!data.isArray()) throw malformed(path, page);
            for (JsonNode n : data) all.add(Checkpoint.of(n));
            if (!page.path("has_more").asBoolean(false) || data.isEmpty()) return all;
            after = RemoteJob.text(data.get(data.size() - 1), "id");
        }
    }

    private static List<JobEvent> reversed(List<JobEvent> l) {
        Collections.reverse(l);
        return l;
    }

    private RemoteJob job(String path, JsonNode n) {
        RemoteJob j = RemoteJob.of(n);
        if (j.id() == null || j.status() == null) throw malformed(path, n);
        return j;
    }

    /** One call with its retries; returns the JSON answer of a 2xx. */
    private JsonNode send(String method, String path, String contentType, byte[] body) throws InterruptedException {
        URI uri = URI.create(baseUrl + path);
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) b.header("Content-Type", contentType);
            if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
            HttpResponse<byte[]> response = exchange(b.build(), method + " " + path);
            int status = response.statusCode();
            if (status / 100 == 2) {
                try {
                    JsonNode n = JSON.readTree(response.body());
                    if (n == null || !n.isObject()) throw new IOException("not an object");
                    return n;
                } catch (IOException e) {
                    throw new HostedApiException(status, "malformed answer to " + method + " " + path + " from " + baseUrl
                            + ": first bytes: " + firstBytes(response.body()));
                }
            }
            if ((status == 429 || status >= 500) && attempt < retry.maxRetries()) {
                Thread.sleep(retry.delay(attempt + 1, OpenAiProvider.retryAfter(response)).toMillis());
                continue;
            }
            throw failure(method + " " + path, status, response.body(), attempt);
        }
    }

    /** Sends and waits, so that an interrupt cancels the exchange instead of leaving it running. */
    private HttpResponse<byte[]> exchange(HttpRequest request, String what) throws InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause.getMessage() == null || cause.getMessage().isBlank() ? cause.getClass().getSimpleName()
                    : cause.getMessage();
            if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
                throw new HostedApiException(0, "cannot reach the fine-tuning endpoint " + baseUrl + " (" + why
                        + "): it comes from OPENAI_BASE_URL or models.yaml");
            }
            if (cause instanceof HttpTimeoutException) {
                throw new HostedApiException(0, "no answer to " + what + " from " + baseUrl + " within "
                        + timeout.toSeconds() + " s");
            }
            throw new HostedApiException(0, what + " to " + baseUrl + " failed: " + why);
        }
    }

    private HostedApiException failure(String what, int status, byte[] body, int retries) {
        String detail = errorMessage(body);
        String after = retries > 0 ? " after " + retries + (retries == 1 ? " retry" : " retries") : "";
        if (status == 401 || status == 403) {
            return new HostedApiException(status, baseUrl + " answered " + status + (status == 401 ? " Unauthorized" : " Forbidden")
                    + ": set " + keyEnv + " to a valid API key (%env " + keyEnv + "=...)"
                    + (detail.isEmpty() ? "" : " — the server said: " + detail));
        }
        return new HostedApiException(status, baseUrl + " answered " + status + " to " + what + after
                + (detail.isEmpty() ? "" : ": " + detail));
    }

    /** OpenAI's {@code error.message}, a bare {@code message} or {@code error}, or the first bytes. */
    private static String errorMessage(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null) {
                JsonNode error = root.path("error");
                if (error.isObject() && error.path("message").isTextual()) return oneLine(error.path("message").asText());
                if (error.isTextual()) return oneLine(error.asText());
                if (root.path("message").isTextual()) return oneLine(root.path("message").asText());
            }
        } catch (IOException notJson) {
            // fall through
        }
        return body.length == 0 ? "" : firstBytes(body);
    }

    private HostedApiException malformed(String path, JsonNode n) {
        return new HostedApiException(200, "malformed answer to " + path + " from " + baseUrl + ": "
                + firstBytes(n.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String firstBytes(byte[] b) {
        int n = Math.min(b.length, 200);
        return "'" + oneLine(new String(b, 0, n, StandardCharsets.UTF_8)) + "'" + (b.length > n ? "…" : "");
    }

    private static String oneLine(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n").strip();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A multipart/form-data body with the {@code purpose} field and the {@code file} part, as the Files API takes. */
    static byte[] multipart(String boundary, String filename, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 512);
        String quoted = filename.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "");
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                + "fine-tune\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + quoted + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
