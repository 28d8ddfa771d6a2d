package yardstick.tracker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import yardstick.tracker.Http;
import yardstick.tracker.Http.Answer;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.ViewType;

/** Malformed, mistyped and oversized requests each get MLflow's error, and nothing partial is stored. */
class BadInputTest {
    private static RunningTracker tracker;
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
    void newRun() {
        Answer created = Http.post(tracker.uri(), "runs/create", "{\"experiment_id\": \"0\"}");
        assertEquals(200, created.status(), created.body());
        runId = created.json().path("run").path("info").path("run_id").asText();
    }

    private Run run() {
        return tracker.server.store().getRun(runId);
    }

    private static void refused(int status, String code, Answer a) {
        assertEquals(status, a.status(), a.body());
        assertEquals(code, a.errorCode(), a.body());
        assertTrue(a.json().path("message").asText().length() > 5, a.body());
    }

    private void assertNothingLogged() {
        Run r = run();
        assertTrue(r.latestMetrics().isEmpty(), r.latestMetrics().toString());
        assertTrue(r.params().isEmpty(), r.params().toString());
        assertEquals(1, r.tags().size(), "only mlflow.runName: " + r.tags());
    }

    @Test
    void malformedJsonIsAMalformedRequest() {
        refused(400, "MALFORMED_REQUEST", Http.post(tracker.uri(), "runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": ["));
        refused(400, "MALFORMED_REQUEST", Http.post(tracker.uri(), "experiments/create", "[1, 2]"));
        refused(400, "MALFORMED_REQUEST", Http.post(tracker.uri(), "experiments/create", "not json"));
        assertNothingLogged();
        assertEquals(1, tracker.server.store().searchExperiments(ViewType.ALL, null, List.of(), 100, null).items().size());
    }

    @Test
    void wrongTypesNameTheField() {
        Answer a = Http.post(tracker.uri(), "experiments/create", "{\"name\": 5}");
        refused(400, "INVALID_PARAMETER_VALUE", a);
        assertTrue(a.json().path("message").asText().contains("'name'"));
        refused(400, "INVALID_PARAMETER_VALUE", Http.post(tracker.uri(), "runs/log-metric",
                "{\"run_id\": \"" + runId + "\", \"key\": \"m\", \"value\": \"abc\", \"timestamp\": 1}"));
        refused(400, "INVALID_PARAMETER_VALUE", Http.post(tracker.uri(), "runs/log-metric",
                "{\"run_id\": \"" + runId + "\", \"key\": \"m\", \"value\": 1, \"timestamp\": 1, \"step\": \"x\"}"));
        refused(400, "INVALID_PARAMETER_VALUE", Http.post(tracker.uri(), "runs/log-metric",
                "{\"run_id\": \"" + runId + "\", \"key\": \"m\", \"value\": 1, \"timestamp\": 1.5}"));
        refused(400, "INVALID_PARAMETER_VALUE", Http.post(tracker.uri(), "runs/log-batch",
                "{\"run_id\": \"" + runId + "\", \"metrics\": {\"key\": \"m\"}}"));
        refused(400, "INVALID_PARAMETER_VALUE", Http.post(tracker.uri(), "runs/log-metric",
                "{\"run_id\": \"" + runId + "\", \"key\": \"m\", \"value\": 1}"));
        refused(400, "INVALID_PARAMETER_VALUE", Http.post(tracker.uri(), "runs/search",
                "{\"experiment_ids\": [\"0\"], \"max_results\": \"lots\"}"));
        assertNothingLogged();
    }

    @Test
    void int64FieldsAcceptStringsAndNonFiniteValuesRoundTrip() {
        Answer ok = Http.post(tracker.uri(), "runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": ["
                + "{\"key\": \"a\", \"value\": \"NaN\", \"timestamp\": \"1700000000000\", \"step\": \"3\"},"
                + "{\"key\": \"b\", \"value\": \"-Infinity\", \"timestamp\": 1700000000000, \"step\": 4},"
                + "{\"key\": \"c\", \"value\": NaN, \"timestamp\": 1, \"step\": 0}]}");
        assertEquals(200, ok.status(), ok.body());
        Answer got = Http.get(tracker.uri() + "/api/2.0/mlflow/runs/get?run_id=" + runId);
        var metrics = got.json().path("run").path("data").path("metrics");
        assertEquals("NaN", metrics.get(0).path("value").asText());
        assertEquals(1700000000000L, metrics.get(0).path("timestamp").asLong());
        assertEquals(3, metrics.get(0).path("step").asLong());
        assertEquals("-Infinity", metrics.get(1).path("value").asText());
        assertEquals("NaN", metrics.get(2).path("value").asText());
    }

    @Test
    void unknownIdsAreNotFound() {
        refused(404, "RESOURCE_DOES_NOT_EXIST", Http.post(tracker.uri(), "runs/log-parameter",
                "{\"run_id\": \"nope\", \"key\": \"k\", \"value\": \"v\"}"));
        refused(404, "RESOURCE_DOES_NOT_EXIST", Http.get(tracker.uri() + "/api/2.0/mlflow/experiments/get?experiment_id=4242"));
        refused(404, "RESOURCE_DOES_NOT_EXIST", Http.get(tracker.uri() + "/api/2.0/mlflow/experiments/get-by-name?experiment_name=zz"));
        refused(404, "RESOURCE_DOES_NOT_EXIST", Http.post(tracker.uri(), "runs/create", "{\"experiment_id\": \"777\"}"));
        refused(404, "ENDPOINT_NOT_FOUND", Http.post(tracker.uri(), "runs/teleport", "{}"));
    }

    @Test
    void oversizedBatchesStoreNothing() {
        StringJoiner metrics = new StringJoiner(",");
        for (int i = 0; i < 1001; i++) {
            metrics.add("{\"key\": \"m\", \"value\": " + i + ", \"timestamp\": 1, \"step\": " + i + "}");
        }
        Answer a = Http.post(tracker.uri(), "runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": [" + metrics + "]}");
        refused(400, "INVALID_PARAMETER_VALUE", a);
        assertTrue(a.json().path("message").asText().contains("at most 1000 metrics"), a.body());
        StringJoiner params = new StringJoiner(",");
        for (int i = 0; i < 101; i++) {
            params.add("{\"key\": \"p" + i + "\", \"value\": \"v\"}");
        }
        refused(400, "INVALID_PARAMETER_VALUE", Http.post(tracker.uri(), "runs/log-batch",
                "{\"run_id\": \"" + runId + "\", \"params\": [" + params + "]}"));
        StringJoiner tags = new StringJoiner(",");
        for (int i = 0; i < 101; i++) {
            tags.add("{\"key\": \"t" + i + "\", \"value\": \"v\"}");
        }
        refused(400, "INVALID_PARAMETER_VALUE", Http.post(tracker.uri(), "runs/log-batch",
                "{\"run_id\": \"" + runId + "\", \"tags\": [" + tags + "]}"));
        assertNothingLogged();
    }

    @Test
    void invalidKeysAndValuesInABatchStoreNothing() {
        String good = "{\"key\": \"fine\", \"value\": 1, \"timestamp\": 1, \"step\": 0}";
        for (String badMetric : List.of("{\"key\": \"semi;colon\", \"value\": 1, \"timestamp\": 1}",
                "{\"key\": \"../up\", \"value\": 1, \"timestamp\": 1}",
                "{\"key\": \"/abs\", \"value\": 1, \"timestamp\": 1}",
                "{\"key\": \"" + "k".repeat(251) + "\", \"value\": 1, \"timestamp\": 1}",
                "{\"value\": 1, \"timestamp\": 1}")) {
            refused(400, "INVALID_PARAMETER_VALUE", Http.post(tracker.uri(), "runs/log-batch", "{\"run_id\": \"" + runId
                    + "\", \"metrics\": [" + good + ", " + badMetric + "], \"params\": [{\"key\": \"p\", \"value\": \"v\"}]}"));
        }
        refused(400, "INVALID_PARAMETER_VALUE", Http.post(tracker.uri(), "runs/log-batch", "{\"run_id\": \"" + runId
                + "\", \"metrics\": [" + good + "], \"params\": [{\"key\": \"p\", \"value\": \"" + "v".repeat(6001) + "\"}]}"));
        refused(400, "INVALID_PARAMETER_VALUE", Http.post(tracker.uri(), "runs/log-batch", "{\"run_id\": \"" + runId
                + "\", \"metrics\": [" + good + "], \"tags\": [{\"key\": \"t\", \"value\": \"" + "v".repeat(5001) + "\"}]}"));
        refused(400, "INVALID_PARAMETER_VALUE", Http.post(tracker.uri(), "runs/log-batch", "{\"run_id\": \"" + runId
                + "\", \"metrics\": [" + good + "], \"params\": [{\"key\": \"p\", \"value\": \"1\"}, {\"key\": \"p\", \"value\": \"2\"}]}"));
        assertNothingLogged();
    }
}
