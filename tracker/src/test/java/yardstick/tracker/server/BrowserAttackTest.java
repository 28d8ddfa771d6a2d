package yardstick.tracker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import yardstick.tracker.Http;
import yardstick.tracker.Http.Answer;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.model.LifecycleStage;
import yardstick.tracker.model.ViewType;

/**
 * What a web page the researcher happens to open can make the browser send to a tracker on localhost: simple
 * requests (GET, a form's POST, a fetch without preflight), a foreign Origin, a rebound host name. Each is refused
 * and changes nothing; what MLflow's clients send still works.
 */
class BrowserAttackTest {
    private static final String API = "/api/2.0/mlflow/";
    private static RunningTracker tracker;
    private String experimentId;
    private String runId;

    @BeforeAll
    static void start() {
        tracker = new RunningTracker();
    }

    @AfterAll
    static void stop() {
        tracker.close();
    }

    @BeforeEach
    void experimentWithARun() {
        Answer e = Http.post(tracker.uri(), "experiments/create", "{\"name\": \"target-" + System.nanoTime() + "\"}");
        assertEquals(200, e.status(), e.body());
        experimentId = e.json().path("experiment_id").asText();
        Answer r = Http.post(tracker.uri(), "runs/create", "{\"experiment_id\": \"" + experimentId + "\"}");
        runId = r.json().path("run").path("info").path("run_id").asText();
    }

    private int experimentCount() {
        return tracker.server.store().searchExperiments(ViewType.ALL, null, List.of(), 1000, null).items().size();
    }

    private void assertUntouched(int experimentsBefore) {
        assertEquals(experimentsBefore, experimentCount(), "no experiment created");
        assertEquals(LifecycleStage.ACTIVE, tracker.server.store().getExperiment(experimentId).lifecycleStage());
        assertEquals(LifecycleStage.ACTIVE, tracker.server.store().getRun(runId).info().lifecycleStage());
        assertTrue(tracker.server.store().getRun(runId).params().isEmpty(), "no param logged");
    }

    private static Answer send(String method, String endpoint, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tracker.uri() + API + endpoint))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        return Http.send(b);
    }

    /** The state-changing endpoints with a body that would change something, were it accepted. */
    private Map<String, String> stateChanges() {
        return Map.of(
                "experiments/create", "{\"name\": \"planted\"}",
                "experiments/delete", "{\"experiment_id\": \"" + experimentId + "\"}",
                "experiments/restore", "{\"experiment_id\": \"" + experimentId + "\"}",
                "experiments/update", "{\"experiment_id\": \"" + experimentId + "\", \"new_name\": \"renamed\"}",
                "runs/create", "{\"experiment_id\": \"" + experimentId + "\"}",
                "runs/delete", "{\"run_id\": \"" + runId + "\"}",
                "runs/restore", "{\"run_id\": \"" + runId + "\"}",
                "runs/log-parameter", "{\"run_id\": \"" + runId + "\", \"key\": \"p\", \"value\": \"v\"}",
                "runs/log-batch", "{\"run_id\": \"" + runId + "\", \"params\": [{\"key\": \"p\", \"value\": \"v\"}]}",
                "registered-models/create", "{\"name\": \"planted-model\"}");
    }

    /** The same fields as a query string, as a link or an image tag on a web page would carry them. */
    private static String query(String json) throws IOException {
        StringBuilder q = new StringBuilder();
        JsonCodec.MAPPER.readTree(json).properties().forEach(e -> q.append(q.isEmpty() ? "" : "&").append(e.getKey())
                .append('=').append(URLEncoder.encode(e.getValue().isTextual() ? e.getValue().textValue()
                        : e.getValue().toString(), StandardCharsets.UTF_8)));
        return q.toString();
    }

    @Test
    void getAndPutOnStateChangingEndpointsAre405AndChangeNothing() throws IOException {
        int before = experimentCount();
        for (Map.Entry<String, String> change : stateChanges().entrySet()) {
            String endpoint = change.getKey();
            String body = change.getValue();
            Answer get = Http.get(tracker.uri() + API + endpoint + "?" + query(body));
            assertEquals(405, get.status(), "GET " + endpoint + " -> " + get.body());
            assertEquals("BAD_REQUEST", get.errorCode(), endpoint);
            assertTrue(get.json().path("message").asText().contains("use POST"), get.body());
            Answer put = send("PUT", endpoint, "application/json", body, Map.of());
            assertEquals(405, put.status(), "PUT " + endpoint + " -> " + put.body());
            assertEquals("BAD_REQUEST", put.errorCode(), endpoint);
        }
        assertUntouched(before);
        assertEquals(405, send("GET", "registered-models/delete?name=x", null, null, Map.of()).status());
        assertEquals(405, send("POST", "registered-models/delete", "application/json", "{\"name\": \"x\"}", Map.of()).status());
    }

    @Test
    void theAllowHeaderNamesTheBoundMethods() throws Exception {
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tracker.uri() + API
                + "runs/delete?run_id=" + runId)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
        var alias = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tracker.uri() + API
                + "registered-models/alias")).PUT(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type",
                "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, alias.statusCode());
        assertEquals("DELETE, GET, POST", alias.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void postsThatAreNotDeclaredJsonAreRefusedAsMlflowDoes() {
        int before = experimentCount();
        // What an HTML form (three encodings) or a fetch without preflight can send, and a request with no type.
        for (String type : new String[] {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", null}) {
            stateChanges().forEach((endpoint, body) -> {
                Answer a = send("POST", endpoint, type, body, Map.of());
                assertEquals(400, a.status(), type + " " + endpoint + " -> " + a.body());
                assertEquals("INVALID_PARAMETER_VALUE", a.errorCode());
                assertTrue(a.json().path("message").asText().startsWith(type == null ? "Bad Request. Content-Type header is missing"
                        : "Bad Request. Content-Type must be one of ['application/json']"), a.body());
            });
        }
        // An empty POST creates a run in the default experiment, were it accepted: it needs the JSON type too.
        assertEquals(400, send("POST", "runs/create", null, null, Map.of()).status());
        assertUntouched(before);
        Answer charset = send("POST", "runs/log-parameter", "application/json; charset=utf-8",
                "{\"run_id\": \"" + runId + "\", \"key\": \"p\", \"value\": \"v\"}", Map.of());
        assertEquals(200, charset.status(), charset.body());
    }

    @Test
    void aForeignOriginCannotChangeStateButClientsWithoutOneCan() {
        int before = experimentCount();
        String body = "{\"run_id\": \"" + runId + "\"}";
        for (String origin : new String[] {"http://evil.example", "null", "http://127.0.0.1:1", "https://localhost.evil.example"}) {
            Answer a = send("POST", "runs/delete", "application/json", body, Map.of("Origin", origin));
            assertEquals(403, a.status(), origin + " -> " + a.body());
            assertEquals("PERMISSION_DENIED", a.errorCode());
            Answer put = Http.send(HttpRequest.newBuilder(URI.create(tracker.uri() + ArtifactHandler.PREFIX + "/x/planted.txt"))
                    .header("Origin", origin).PUT(HttpRequest.BodyPublishers.ofString("x")));
            assertEquals(403, put.status(), origin + " -> " + put.body());
        }
        assertUntouched(before);
        assertFalse(Files.exists(tracker.server.artifacts().root().resolve("x/planted.txt")));
        // Reading with a foreign Origin is the same-origin policy's business: the browser keeps the answer from the page.
        assertEquals(200, send("GET", "runs/get?run_id=" + runId, null, null, Map.of("Origin", "http://evil.example")).status());
        assertEquals(200, send("POST", "runs/log-parameter", "application/json",
                "{\"run_id\": \"" + runId + "\", \"key\": \"own\", \"value\": \"v\"}", Map.of("Origin", tracker.uri())).status());
        Answer plain = send("POST", "runs/delete", "application/json", body, Map.of());
        assertEquals(200, plain.status(), "the Java client and curl send no Origin: " + plain.body());
        assertEquals(LifecycleStage.DELETED, tracker.server.store().getRun(runId).info().lifecycleStage());
    }

    @Test
    void aRequestForAnotherHostIsRefused() {
        URI base = tracker.server.uri();
        int port = tracker.server.port();
        for (String path : new String[] {API + "experiments/get?experiment_id=0", "/", ArtifactHandler.PREFIX + "?path="}) {
            Answer evil = Http.rawRequest(base, "GET", path, "Host: evil.example:" + port + "\r\n", new byte[0]);
            assertEquals(403, evil.status(), path + " -> " + evil.body());
            assertTrue(evil.body().contains("Invalid Host header"), evil.body());
            for (String host : new String[] {"localhost:" + port, "127.0.0.1:" + port, "127.8.9.10", "[::1]:" + port, "LOCALHOST"}) {
                assertEquals(200, Http.rawRequest(base, "GET", path, "Host: " + host + "\r\n", new byte[0]).status(), host);
            }
        }
        assertEquals(403, Http.rawRequest(base, "POST", API + "runs/delete", "Host: evil.example\r\nContent-Type: application/json\r\n",
                ("{\"run_id\": \"" + runId + "\"}").getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(403, Http.rawRequest(base, "GET", "/", "", new byte[0]).status(), "no Host at all");
        assertEquals(200, Http.rawRequest(base, "GET", "/health", "Host: 10.0.0.7\r\n", new byte[0]).status(),
                "health probes may use any name");
        assertEquals(LifecycleStage.ACTIVE, tracker.server.store().getRun(runId).info().lifecycleStage());
    }

    @Test
    void artifactUploadsArePutOnly() {
        String path = ArtifactHandler.PREFIX + "/" + experimentId + "/" + runId + "/artifacts/model.bin";
        Answer post = Http.send(HttpRequest.newBuilder(URI.create(tracker.uri() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("x=1")));
        assertEquals(405, post.status(), post.body());
        assertEquals("BAD_REQUEST", post.errorCode());
        Path file = tracker.server.artifacts().root().resolve(experimentId + "/" + runId + "/artifacts/model.bin");
        assertFalse(Files.exists(file));
        // Any Content-Type will do for a PUT, as MLflow's clients and Python's urllib send different ones.
        Answer put = Http.send(HttpRequest.newBuilder(URI.create(tracker.uri() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").PUT(HttpRequest.BodyPublishers.ofString("weights")));
        assertEquals(200, put.status(), put.body());
        assertTrue(Files.exists(file));
        assertEquals(405, Http.send(HttpRequest.newBuilder(URI.create(tracker.uri() + ArtifactHandler.PREFIX + "?path=x"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))).status());
    }

    @Test
    void aBodyOverSixteenMebibytesIs413() {
        int before = experimentCount();
        // 32 MB of tiny strings: refused by its declared length, before a byte of it is parsed.
        StringBuilder b = new StringBuilder(33 * 1024 * 1024).append("{\"name\": \"huge\", \"tags\": [");
        while (b.length() < 32 * 1024 * 1024) {
            b.append("\"a\",");
        }
        b.append("\"a\"]}");
        Answer a = send("POST", "experiments/create", "application/json", b.toString(), Map.of());
        assertEquals(413, a.status(), a.body());
        assertTrue(a.json().path("message").asText().contains("exceeds 16777216 bytes"), a.body());
        assertEquals(before, experimentCount());
    }

    @Test
    void aBodyOfTooManyTokensIs413EvenWithinTheByteLimit() {
        int before = experimentCount();
        StringBuilder b = new StringBuilder(9 * 1024 * 1024).append("{\"name\": \"many\", \"tags\": [");
        while (b.length() < 8 * 1024 * 1024) {
            b.append("1,");
        }
        b.append("1]}");
        Answer a = send("POST", "experiments/create", "application/json", b.toString(), Map.of());
        assertEquals(413, a.status(), a.body());
        assertTrue(a.json().path("message").asText().contains("tokens"), a.body());
        assertEquals(before, experimentCount());
    }

    @Test
    void trailingGarbageIsMalformed() {
        int before = experimentCount();
        for (String body : new String[] {"{\"name\": \"x\"} garbage", "{\"name\": \"x\"}{\"name\": \"y\"}", "{\"name\": \"x\"}]"}) {
            Answer a = send("POST", "experiments/create", "application/json", body, Map.of());
            assertEquals(400, a.status(), body + " -> " + a.body());
            assertEquals("MALFORMED_REQUEST", a.errorCode(), body);
        }
        assertEquals(before, experimentCount());
        assertEquals(200, send("POST", "experiments/create", "application/json", "{\"name\": \"trailing-space\"}\n  ", Map.of()).status());
    }

    @Test
    void deleteWithABodyMustBeJsonButMayUseTheQueryStringWithout() {
        Http.post(tracker.uri(), "registered-models/create", "{\"name\": \"doomed\"}");
        assertEquals(400, send("DELETE", "registered-models/delete", "text/plain", "{\"name\": \"doomed\"}", Map.of()).status());
        assertEquals(200, send("DELETE", "registered-models/delete?name=doomed", null, null, Map.of()).status());
    }
}
