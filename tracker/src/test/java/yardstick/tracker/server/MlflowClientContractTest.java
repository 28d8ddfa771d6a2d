package yardstick.tracker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;
import yardstick.tracker.RunningTracker;

/** The unmodified MLflow Java client (2.17.2) against the tracker: the REST contract test. */
class MlflowClientContractTest {
    private static RunningTracker tracker;
    private static MlflowClient client;

    @BeforeAll
    static void start() {
        tracker = new RunningTracker();
        client = new MlflowClient(tracker.uri());
    }

    @AfterAll
    static void stop() {
        client.close();
        tracker.close();
    }

    private static MlflowHttpException httpError(int status, String code, org.junit.jupiter.api.function.Executable call) {
        MlflowHttpException e = assertThrows(MlflowHttpException.class, call);
        assertEquals(status, e.getStatusCode(), e.getBodyMessage());
        assertTrue(e.getBodyMessage().contains("\"error_code\":\"" + code + "\""), e.getBodyMessage());
        return e;
    }

    @Test
    void experimentsLifecycle() {
        String id = client.createExperiment("contract-exp");
        Experiment e = client.getExperiment(id);
        assertEquals("contract-exp", e.getName());
        assertEquals("mlflow-artifacts:/" + id, e.getArtifactLocation());
        assertEquals("active", e.getLifecycleStage());
        assertEquals(Optional.of(id), client.getExperimentByName("contract-exp").map(Experiment::getExperimentId));
        assertEquals(Optional.empty(), client.getExperimentByName("no such experiment"));

        client.setExperimentTag(id, "owner", "alice");
        assertEquals("alice", client.getExperiment(id).getTagsList().getFirst().getValue());
        client.renameExperiment(id, "contract-renamed");
        assertEquals("contract-renamed", client.getExperiment(id).getName());

        ExperimentsPage found = client.searchExperiments("name LIKE 'contract-ren%'");
        assertEquals(List.of(id), found.getItems().stream().map(Experiment::getExperimentId).toList());

        client.deleteExperiment(id);
        assertEquals("deleted", client.getExperiment(id).getLifecycleStage());
        assertTrue(client.searchExperiments("name = 'contract-renamed'").getItems().isEmpty());
        assertEquals(1, client.searchExperiments("name = 'contract-renamed'", ViewType.DELETED_ONLY, 10, List.of()).getItems().size());
        client.restoreExperiment(id);
        assertEquals("active", client.getExperiment(id).getLifecycleStage());
    }

    @Test
    void runLoggingRoundTrips() {
        String exp = client.createExperiment("contract-runs");
        RunInfo info = client.createRun(exp);
        String runId = info.getRunId();
        assertEquals(exp, info.getExperimentId());
        assertEquals(RunStatus.RUNNING, info.getStatus());
        assertEquals("mlflow-artifacts:/" + exp + "/" + runId + "/artifacts", info.getArtifactUri());

        client.logParam(runId, "lr", "0.1");
        client.logParam(runId, "lr", "0.1");
        client.logMetric(runId, "loss", 0.5, 1000, 1);
        client.logMetric(runId, "loss", 0.25, 2000, 2);
        client.setTag(runId, "stage", "dev");
        client.setTag(runId, "tmp", "x");
        client.deleteTag(runId, "tmp");
        client.logBatch(runId,
                List.of(Metric.newBuilder().setKey("acc").setValue(0.9).setTimestamp(3000).setStep(2).build()),
                List.of(Param.newBuilder().setKey("batch").setValue("32").build()),
                List.of(RunTag.newBuilder().setKey("note").setValue("batch").build()));
        client.setTerminated(runId, RunStatus.FINISHED, 9000);

        Run run = client.getRun(runId);
        assertEquals(RunStatus.FINISHED, run.getInfo().getStatus());
        assertEquals(9000, run.getInfo().getEndTime());
        assertEquals(Set.of("lr=0.1", "batch=32"), Set.copyOf(run.getData().getParamsList().stream()
                .map(p -> p.getKey() + "=" + p.getValue()).toList()));
        Metric loss = run.getData().getMetricsList().stream().filter(m -> m.getKey().equals("loss")).findFirst().orElseThrow();
        assertEquals(0.25, loss.getValue());
        assertEquals(2, loss.getStep());
        Set<String> tags = new HashSet<>(run.getData().getTagsList().stream().map(RunTag::getKey).toList());
        assertTrue(tags.containsAll(Set.of("stage", "note", "mlflow.runName")), tags.toString());
        assertFalse(tags.contains("tmp"));
        assertEquals(List.of(0.5, 0.25), client.getMetricHistory(runId, "loss").stream().map(Metric::getValue).toList());

        client.deleteRun(runId);
        assertTrue(client.searchRuns(List.of(exp), null).isEmpty());
        client.restoreRun(runId);
        assertEquals(1, client.searchRuns(List.of(exp), null).size());
    }

    @Test
    void metricHistoryOf26000PointsComesBackThroughPaging() {
        String runId = client.createRun().getRunId();
        List<Metric> batch = new ArrayList<>();
        for (int step = 0; step < 26_000; step++) {
            batch.add(Metric.newBuilder().setKey("curve").setValue(Math.sin(step / 100.0)).setTimestamp(1_000_000L + step)
                    .setStep(step).build());
            if (batch.size() == 1000) {
                client.logBatch(runId, batch, List.of(), List.of());
                batch.clear();
            }
        }
        List<Metric> history = client.getMetricHistory(runId, "curve");
        assertEquals(26_000, history.size());
        for (int step = 0; step < 26_000; step += 997) {
            assertEquals(step, history.get(step).getStep());
            assertEquals(Math.sin(step / 100.0), history.get(step).getValue());
        }
        assertEquals(25_999, history.getLast().getStep());

        // The same history through explicit paging, with the client's own HTTP calls.
        List<Long> steps = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            String json = client.sendGet("metrics/get-history?run_id=" + runId + "&metric_key=curve&max_results=10000"
                    + (token.isEmpty() ? "" : "&page_token=" + token));
            com.fasterxml.jackson.databind.JsonNode page = readJson(json);
            page.path("metrics").forEach(m -> steps.add(m.path("step").asLong()));
            token = page.path("next_page_token").asText("");
            pages++;
        } while (!token.isEmpty());
        assertEquals(3, pages);
        assertEquals(26_000, steps.size());
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(i, steps.get(i));
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readJson(String json) {
        try {
            return JsonCodec.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void nanAndInfinityRoundTrip() {
        String runId = client.createRun().getRunId();
        client.logMetric(runId, "nan", Double.NaN, 1, 0);
        client.logMetric(runId, "inf", Double.POSITIVE_INFINITY, 1, 0);
        client.logMetric(runId, "ninf", Double.NEGATIVE_INFINITY, 1, 0);
        Run run = client.getRun(runId);
        for (Metric m : run.getData().getMetricsList()) {
            switch (m.getKey()) {
                case "nan" -> assertTrue(Double.isNaN(m.getValue()));
                case "inf" -> assertEquals(Double.POSITIVE_INFINITY, m.getValue());
                case "ninf" -> assertEquals(Double.NEGATIVE_INFINITY, m.getValue());
                default -> throw new AssertionError(m.getKey());
            }
        }
        assertTrue(Double.isNaN(client.getMetricHistory(runId, "nan").getFirst().getValue()));
    }

    @Test
    void searchRunsFiltersOrdersAndPages() {
        String exp = client.createExperiment("contract-search");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String runId = client.createRun(exp).getRunId();
            client.logMetric(runId, "acc", i / 10.0, 1, 0);
            client.logParam(runId, "lr", i % 2 == 0 ? "0.1" : "0.01");
            client.setTag(runId, "model", "resnet-" + i);
            if (i >= 5) {
                client.setTerminated(runId, RunStatus.FINISHED);
            }
            ids.add(runId);
        }
        List<String> byFilter = client.searchRuns(List.of(exp),
                "metrics.acc > 0.15 and params.lr = '0.1' and tags.model LIKE 'resnet-%'").stream().map(RunInfo::getRunId).toList();
        assertEquals(Set.of(ids.get(2), ids.get(4), ids.get(6)), Set.copyOf(byFilter));
        assertEquals(Set.of(ids.get(5), ids.get(6)), Set.copyOf(client.searchRuns(List.of(exp),
                "attributes.status = 'FINISHED'").stream().map(RunInfo::getRunId).toList()));

        RunsPage page = client.searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, 3, List.of("metrics.acc DESC"));
        List<String> ordered = new ArrayList<>();
        while (true) {
            page.getItems().forEach(r -> ordered.add(r.getInfo().getRunId()));
            if (!page.hasNextPage()) {
                break;
            }
            page = (RunsPage) page.getNextPage();
        }
        assertEquals(List.of(ids.get(6), ids.get(5), ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0)), ordered);
    }

    @Test
    void logInputsThroughTheClientsRawPost() {
        String runId = client.createRun().getRunId();
        client.sendPost("runs/log-inputs", "{\"run_id\":\"" + runId + "\",\"datasets\":[{\"tags\":[{\"key\":\"mlflow.data.context\","
                + "\"value\":\"eval\"}],\"dataset\":{\"name\":\"qa\",\"digest\":\"abc123\",\"source_type\":\"local\","
                + "\"source\":\"file:///qa.jsonl\"}}]}");
        Run run = client.getRun(runId);
        assertEquals("qa", run.getInputs().getDatasetInputs(0).getDataset().getName());
        assertEquals(1, client.searchRuns(List.of("0"), "dataset.digest = 'abc123'").size());
    }

    @Test
    void errorsCarryMlflowCodesAndStatuses() {
        httpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getRun("ffffffffffffffffffffffffffffffff"));
        httpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getExperiment("99999"));
        httpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.logMetric("ffffffffffffffffffffffffffffffff", "m", 1));
        String exp = client.createExperiment("contract-errors");
        httpError(400, "RESOURCE_ALREADY_EXISTS", () -> client.createExperiment("contract-errors"));
        String runId = client.createRun(exp).getRunId();
        client.logParam(runId, "p", "1");
        MlflowHttpException changed = httpError(400, "INVALID_PARAMETER_VALUE", () -> client.logParam(runId, "p", "2"));
        assertTrue(changed.getBodyMessage().contains("Changing param values is not allowed"));
        httpError(400, "INVALID_PARAMETER_VALUE", () -> client.logMetric(runId, "bad key?", 1));
        httpError(400, "INVALID_PARAMETER_VALUE", () -> client.searchRuns(List.of(exp), "metrics.acc >> 1"));
        httpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.deleteTag(runId, "never-set"));
        client.deleteExperiment(exp);
        httpError(400, "INVALID_STATE", () -> client.deleteExperiment(exp));
        httpError(404, "ENDPOINT_NOT_FOUND", () -> client.sendGet("runs/no-such-endpoint"));
        List<Metric> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Metric.newBuilder().setKey("m").setValue(i).setTimestamp(i).setStep(i).build());
        }
        String other = client.createRun().getRunId();
        httpError(400, "INVALID_PARAMETER_VALUE", () -> client.logBatch(other, tooMany, List.of(), List.of()));
        assertTrue(client.getMetricHistory(other, "m").isEmpty());
    }
}
