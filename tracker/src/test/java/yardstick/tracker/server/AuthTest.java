package yardstick.tracker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import yardstick.tracker.Http;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.TrackerConfig;
import yardstick.tracker.TrackerServer;
import yardstick.tracker.client.ArtifactClient;

/** Beyond loopback the tracker needs a token; with one, every endpoint requires it as Bearer or Basic. */
class AuthTest {
    @Test
    void refusesToListenBeyondLoopbackWithoutAToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrackerServer.start(TrackerConfig.defaults().withHost("0.0.0.0").withPort(0)));
        assertTrue(e.getMessage().contains("without a token"), e.getMessage());
    }

    @Test
    void tokenIsRequiredAsBearerOrBasic() throws Exception {
        // Bound to every interface, which needs the token; the test talks to it over loopback only.
        try (RunningTracker t = new RunningTracker(c -> c.withHost("0.0.0.0").withToken("s3cret"))) {
            String base = "http://127.0.0.1:" + t.server.port();
            Http.Answer anonymous = Http.get(base + "/api/2.0/mlflow/experiments/get?experiment_id=0");
            assertEquals(401, anonymous.status());
            assertEquals("UNAUTHENTICATED", anonymous.errorCode());
            assertEquals(401, Http.get(base + "/").status());
            assertEquals(401, Http.get(base + "/api/2.0/mlflow-artifacts/artifacts?path=").status());
            assertEquals(401, Http.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/experiments/get?experiment_id=0"))
                    .header("Authorization", "Bearer wrong")).status());

            MlflowClient bearer = new MlflowClient(new BasicMlflowHostCreds(base, "s3cret"));
            assertEquals("Default", bearer.getExperiment("0").getName());
            MlflowClient basic = new MlflowClient(new BasicMlflowHostCreds(base, "anyone", "s3cret"));
            assertEquals("Default", basic.getExperiment("0").getName());
            MlflowClient wrong = new MlflowClient(new BasicMlflowHostCreds(base, "anyone", "guess"));
            assertEquals(401, assertThrows(MlflowHttpException.class, () -> wrong.getExperiment("0")).getStatusCode());

            String basicHeader = "Basic " + Base64.getEncoder().encodeToString("u:s3cret".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, Http.send(HttpRequest.newBuilder(URI.create(base + "/")).header("Authorization", basicHeader)).status());
            ArtifactClient artifacts = ArtifactClient.fromEnvironment(Map.of("MLFLOW_TRACKING_URI", base,
                    "MLFLOW_TRACKING_TOKEN", "s3cret"));
            String runId = bearer.createRun().getRunId();
            assertEquals(List.of(), artifacts.list(artifacts.artifactUri(runId), null));
            bearer.close();
            basic.close();
            wrong.close();
        }
    }

    @Test
    void allowedHostsAreServedAndOthersRefused() {
        try (RunningTracker t = new RunningTracker(c -> c.withAllowedHosts(List.of("tracker.lan")))) {
            URI base = t.server.uri();
            assertEquals(200, Http.rawRequest(base, "GET", "/", "Host: tracker.lan:" + t.server.port() + "\r\n", new byte[0]).status());
            assertEquals(403, Http.rawRequest(base, "GET", "/", "Host: evil.example:" + t.server.port() + "\r\n", new byte[0]).status());
        }
    }

    @Test
    void parsesTheCommandLine() {
        TrackerConfig c = TrackerConfig.parse(new String[] {"--host", "127.0.0.1", "--port=6001", "--store", "sqlite:/tmp/x/t.db",
                "--artifacts", "/tmp/arts"}, Map.of("YARDSTICK_TRACKER_TOKEN", "envtok"));
        assertEquals(6001, c.port());
        assertEquals("sqlite:/tmp/x/t.db", c.store());
        assertEquals("envtok", c.token());
        assertEquals(java.nio.file.Path.of("/tmp/arts"), c.resolvedArtifactRoot());
        assertEquals(java.nio.file.Path.of("/tmp/x/artifacts"), c.withArtifactRoot(null).resolvedArtifactRoot());
        assertTrue(!c.toString().contains("envtok"), "the token is never printed");
        assertEquals(List.of(), c.allowedHosts());
        assertEquals(TrackerConfig.DEFAULT_REQUEST_TIMEOUT_SECONDS, c.requestTimeoutSeconds());

        TrackerConfig hosts = TrackerConfig.parse(new String[] {"--allowed-hosts", "ml.example.org, *.team.example",
                "--request-timeout=30"}, Map.of("YARDSTICK_TRACKER_ALLOWED_HOSTS", "from-env"));
        assertEquals(List.of("ml.example.org", "*.team.example"), hosts.allowedHosts(), "the option overrides the environment");
        assertEquals(30, hosts.requestTimeoutSeconds());
        assertEquals(List.of("a", "b"), TrackerConfig.parse(new String[0], Map.of("YARDSTICK_TRACKER_ALLOWED_HOSTS", "a,b"))
                .allowedHosts());
        assertThrows(IllegalArgumentException.class, () -> TrackerConfig.parse(new String[] {"--request-timeout", "0"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> TrackerConfig.parse(new String[] {"--bogus", "1"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> TrackerConfig.parse(new String[] {"--port"}, Map.of()));
    }
}
