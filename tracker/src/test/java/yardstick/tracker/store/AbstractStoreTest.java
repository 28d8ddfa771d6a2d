package yardstick.tracker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import yardstick.tracker.model.Dataset;
import yardstick.tracker.model.DatasetInput;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.Experiment;
import yardstick.tracker.model.LifecycleStage;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.MetricSeries;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.Page;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.RunStatus;
import yardstick.tracker.model.Tag;
import yardstick.tracker.model.ViewType;

/**
 * The store's contract, run against every back end: each subclass hands in the databases of its kind. Typed by
 * that kind so that a subclass's own tests reach what only its back end has (a file, a URL).
 */
abstract class AbstractStoreTest<D extends TestDatabase> {
    protected final D database;
    protected TrackerStore store;

    protected AbstractStoreTest(D database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        store = JdbcTrackerStore.open(database.newDatabase(), "mlflow-artifacts:");
    }

    @AfterEach
    void close() {
        try {
            store.close();
        } finally {
            database.close();
        }
    }

    private static MlflowException fails(ErrorCode code, org.junit.jupiter.api.function.Executable action) {
        MlflowException e = assertThrows(MlflowException.class, action);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    private Run newRun(String experimentId) {
        return store.createRun(experimentId, "tester", 1000, null, List.of());
    }

    @Test
    void defaultExperimentExistsAndExperimentsRoundTrip() {
        Experiment dflt = store.getExperiment("0");
        assertEquals("Default", dflt.name());
        assertEquals("mlflow-artifacts:/0", dflt.artifactLocation());

        Experiment e = store.createExperiment("exp one", null, List.of(new Tag("team", "nlp")));
        assertEquals("mlflow-artifacts:/" + e.experimentId(), e.artifactLocation());
        assertEquals(e, store.getExperimentByName("exp one"));
        assertEquals(List.of(new Tag("team", "nlp")), store.getExperiment(e.experimentId()).tags());
        fails(ErrorCode.RESOURCE_ALREADY_EXISTS, () -> store.createExperiment("exp one", null, List.of()));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.getExperiment("987654"));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.getExperimentByName("nope"));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.createExperiment("", null, List.of()));
    }

    @Test
    void renameDeleteAndRestoreCascadeToRuns() {
        Experiment e = store.createExperiment("to delete", null, List.of());
        Run r = newRun(e.experimentId());
        store.createExperiment("taken", null, List.of());
        fails(ErrorCode.RESOURCE_ALREADY_EXISTS, () -> store.renameExperiment(e.experimentId(), "taken"));
        store.renameExperiment(e.experimentId(), "renamed");
        assertEquals("renamed", store.getExperiment(e.experimentId()).name());

        store.deleteExperiment(e.experimentId());
        assertEquals(LifecycleStage.DELETED, store.getExperiment(e.experimentId()).lifecycleStage());
        assertEquals(LifecycleStage.DELETED, store.getRun(r.info().runId()).info().lifecycleStage());
        fails(ErrorCode.INVALID_STATE, () -> store.deleteExperiment(e.experimentId()));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> newRun(e.experimentId()));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.logBatch(r.info().runId(), List.of(new Metric("m", 1, 1, 1)),
                List.of(), List.of()));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.deleteExperiment("0"));

        store.restoreExperiment(e.experimentId());
        assertEquals(LifecycleStage.ACTIVE, store.getRun(r.info().runId()).info().lifecycleStage());
        fails(ErrorCode.INVALID_STATE, () -> store.restoreExperiment(e.experimentId()));
    }

    @Test
    void searchExperimentsFiltersOrdersAndPages() {
        for (int i = 0; i < 5; i++) {
            Experiment e = store.createExperiment("proj-" + i, null, List.of());
            store.setExperimentTag(e.experimentId(), new Tag("parity", i % 2 == 0 ? "even" : "odd"));
        }
        Page<Experiment> even = store.searchExperiments(ViewType.ACTIVE_ONLY, "tags.parity = 'even'", List.of("name ASC"), 10, null);
        assertEquals(List.of("proj-0", "proj-2", "proj-4"), even.items().stream().map(Experiment::name).toList());
        Page<Experiment> like = store.searchExperiments(ViewType.ACTIVE_ONLY, "name LIKE 'proj-%'", List.of("name DESC"), 2, null);
        assertEquals(List.of("proj-4", "proj-3"), like.items().stream().map(Experiment::name).toList());
        Page<Experiment> next = store.searchExperiments(ViewType.ACTIVE_ONLY, "name LIKE 'proj-%'", List.of("name DESC"), 2,
                like.nextPageToken());
        assertEquals(List.of("proj-2", "proj-1"), next.items().stream().map(Experiment::name).toList());
        assertEquals(0, store.searchExperiments(ViewType.ACTIVE_ONLY, "name LIKE 'PROJ-%'", List.of(), 10, null).items().size());
        assertEquals(5, store.searchExperiments(ViewType.ACTIVE_ONLY, "name ILIKE 'PROJ-%'", List.of(), 10, null).items().size());
    }

    @Test
    void createRunNamesItAndPointsArtifactsIntoTheExperiment() {
        Experiment e = store.createExperiment("runs", null, List.of());
        Run named = store.createRun(e.experimentId(), "alice", 1234, "baseline", List.of(new Tag("k", "v")));
        assertEquals("baseline", named.info().runName());
        assertEquals(RunStatus.RUNNING, named.info().status());
        assertNull(named.info().endTime());
        assertEquals("mlflow-artifacts:/" + e.experimentId() + "/" + named.info().runId() + "/artifacts", named.info().artifactUri());
        assertTrue(named.tags().contains(new Tag("mlflow.runName", "baseline")));
        assertTrue(named.tags().contains(new Tag("k", "v")));
        Run unnamed = newRun(e.experimentId());
        assertTrue(unnamed.info().runName().matches("[a-z]+-[a-z]+-\\d+"), unnamed.info().runName());
        Run byTag = store.createRun(e.experimentId(), "a", 1, null, List.of(new Tag("mlflow.runName", "from-tag")));
        assertEquals("from-tag", byTag.info().runName());
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.createRun(e.experimentId(), "a", 1, "x",
                List.of(new Tag("mlflow.runName", "y"))));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.createRun("424242", "a", 1, null, List.of()));

        store.updateRun(named.info().runId(), RunStatus.FINISHED, 5000L, "renamed");
        Run updated = store.getRun(named.info().runId());
        assertEquals(RunStatus.FINISHED, updated.info().status());
        assertEquals(5000L, updated.info().endTime());
        assertEquals("renamed", updated.info().runName());
        assertTrue(updated.tags().contains(new Tag("mlflow.runName", "renamed")));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.getRun("0123456789abcdef0123456789abcdef"));
    }

    @Test
    void paramsAreImmutableButRepeatingTheSameValueIsFine() {
        Run r = newRun("0");
        String id = r.info().runId();
        store.logBatch(id, List.of(), List.of(new Param("lr", "0.1")), List.of());
        store.logBatch(id, List.of(), List.of(new Param("lr", "0.1")), List.of());
        MlflowException e = fails(ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.logBatch(id, List.of(), List.of(new Param("lr", "0.2")), List.of()));
        assertTrue(e.getMessage().contains("Changing param values is not allowed"), e.getMessage());
        assertEquals(List.of(new Param("lr", "0.1")), store.getRun(id).params());
    }

    @Test
    void aBatchIsAllOrNothing() {
        Run r = newRun("0");
        String id = r.info().runId();
        store.logBatch(id, List.of(), List.of(new Param("fixed", "1")), List.of());
        List<Metric> metrics = List.of(new Metric("loss", 0.5, 10, 1), new Metric("loss", 0.4, 11, 2));
        // The conflicting param is discovered inside the transaction, after metrics could have been written.
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.logBatch(id, metrics, List.of(new Param("new", "x"),
                new Param("fixed", "2")), List.of(new Tag("t", "v"))));
        Run after = store.getRun(id);
        assertEquals(List.of(new Param("fixed", "1")), after.params());
        assertTrue(after.latestMetrics().isEmpty());
        assertFalse(after.tags().stream().anyMatch(t -> t.key().equals("t")));
        assertEquals(0, store.getMetricHistory(id, "loss", null, null).items().size());

        // Invalid keys are refused before anything is written.
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.logBatch(id, List.of(new Metric("ok", 1, 1, 1),
                new Metric("bad key!", 1, 1, 1)), List.of(), List.of()));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.logBatch(id, List.of(new Metric("../escape", 1, 1, 1)), List.of(), List.of()));
        assertEquals(0, store.getMetricHistory(id, "ok", null, null).items().size());
    }

    @Test
    void batchLimitsAndValueLengthsFollowMlflow() {
        String id = newRun("0").info().runId();
        List<Metric> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(new Metric("m", i, i, i));
        }
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.logBatch(id, tooMany, List.of(), List.of()));
        List<Param> params = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            params.add(new Param("p" + i, "v"));
        }
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.logBatch(id, List.of(), params, List.of()));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.logBatch(id, List.of(), List.of(new Param("long", "x".repeat(6001))), List.of()));
        store.logBatch(id, List.of(), List.of(new Param("max", "x".repeat(6000))), List.of());
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.logBatch(id, List.of(), List.of(), List.of(new Tag("long", "x".repeat(5001)))));
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("max", "x".repeat(5000))));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.logBatch(id, List.of(new Metric("k".repeat(251), 1, 1, 1)), List.of(), List.of()));
        store.logBatch(id, tooMany.subList(0, 1000), List.of(), List.of());
        assertEquals(1000, store.getMetricHistory(id, "m", null, null).items().size());
        assertEquals(0, store.getMetricHistory(id, "k".repeat(251), null, null).items().size());
    }

    @Test
    void latestMetricIsHighestStepThenLatestTimestamp() {
        String id = newRun("0").info().runId();
        store.logBatch(id, List.of(new Metric("acc", 0.9, 500, 3), new Metric("acc", 0.1, 900, 1),
                new Metric("acc", 0.7, 600, 3)), List.of(), List.of());
        assertEquals(new Metric("acc", 0.7, 600, 3), store.getRun(id).latestMetrics().getFirst());
        store.logBatch(id, List.of(new Metric("acc", 0.2, 100, 2)), List.of(), List.of());
        assertEquals(new Metric("acc", 0.7, 600, 3), store.getRun(id).latestMetrics().getFirst());
        store.logBatch(id, List.of(new Metric("acc", 0.3, 100, 4)), List.of(), List.of());
        assertEquals(new Metric("acc", 0.3, 100, 4), store.getRun(id).latestMetrics().getFirst());
    }

    @Test
    void latestMetricMatchesAModelOnRandomInput() {
        Random random = new Random(42);
        String id = newRun("0").info().runId();
        Metric best = null;
        for (int batch = 0; batch < 20; batch++) {
            List<Metric> points = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(50); i++) {
                Metric m = new Metric("x", random.nextInt(1000) / 10.0, random.nextInt(50), random.nextInt(10));
                points.add(m);
                if (best == null || m.step() > best.step() || (m.step() == best.step() && (m.timestamp() > best.timestamp()
                        || (m.timestamp() == best.timestamp() && m.value() > best.value())))) {
                    best = m;
                }
            }
            store.logBatch(id, points, List.of(), List.of());
            assertEquals(best, store.getRun(id).latestMetrics().getFirst(), "after batch " + batch);
        }
    }

    @Test
    void nanAndInfinitiesRoundTrip() {
        String id = newRun("0").info().runId();
        store.logBatch(id, List.of(new Metric("n", Double.NaN, 1, 0), new Metric("p", Double.POSITIVE_INFINITY, 1, 0),
                new Metric("q", Double.NEGATIVE_INFINITY, 1, 0), new Metric("z", -0.0, 1, 0)), List.of(), List.of());
        Run r = store.getRun(id);
        assertTrue(Double.isNaN(r.latestMetrics().get(0).value()));
        assertEquals(Double.POSITIVE_INFINITY, r.latestMetrics().get(1).value());
        assertEquals(Double.NEGATIVE_INFINITY, r.latestMetrics().get(2).value());
        assertTrue(Double.isNaN(store.getMetricHistory(id, "n", null, null).items().getFirst().value()));
        // NaN does not satisfy numeric comparisons.
        assertEquals(0, store.searchRuns(List.of("0"), "metrics.n > -1", ViewType.ALL, 10, List.of(), null).items().size());
        assertEquals(1, store.searchRuns(List.of("0"), "metrics.p > 1e300", ViewType.ALL, 10, List.of(), null).items().size());
    }

    @Test
    void metricHistoryIsInLoggingOrderNotStepOrder() {
        // As MLflow's own client test expects: the history reads back as it was logged, steps and times out of order.
        String id = newRun("0").info().runId();
        store.logBatch(id, List.of(new Metric("acc", 0.9, 3000, 3)), List.of(), List.of());
        store.logBatch(id, List.of(new Metric("acc", 0.1, 1000, 1)), List.of(), List.of());
        store.logBatch(id, List.of(new Metric("acc", 0.5, 5000, 2)), List.of(), List.of());
        store.logBatch(id, List.of(new Metric("acc", 0.7, 500, 2)), List.of(), List.of());
        store.logBatch(id, List.of(new Metric("acc", 0.2, 100, 0), new Metric("acc", 0.3, 200, 7)), List.of(), List.of());
        assertEquals(List.of(0.9, 0.1, 0.5, 0.7, 0.2, 0.3),
                store.getMetricHistory(id, "acc", null, null).items().stream().map(Metric::value).toList());
        Page<Metric> first = store.getMetricHistory(id, "acc", 4, null);
        Page<Metric> second = store.getMetricHistory(id, "acc", 4, first.nextPageToken());
        assertEquals(List.of(0.9, 0.1, 0.5, 0.7), first.items().stream().map(Metric::value).toList());
        assertEquals(List.of(0.2, 0.3), second.items().stream().map(Metric::value).toList());
        assertEquals(null, second.nextPageToken());
        // The latest value is still the one at the highest step.
        assertEquals(0.3, store.getRun(id).latestMetrics().getFirst().value());
    }

    @Test
    void metricSeriesIsInStepOrderWithOnlyFinitePoints() {
        String id = newRun("0").info().runId();
        store.logBatch(id, List.of(new Metric("acc", 0.9, 3000, 3), new Metric("acc", Double.NaN, 10, 4),
                new Metric("acc", 0.1, 1000, 1), new Metric("acc", Double.POSITIVE_INFINITY, 20, 5)), List.of(), List.of());
        store.logBatch(id, List.of(new Metric("acc", 0.5, 5000, 2), new Metric("acc", 0.7, 500, 2),
                new Metric("other", 1, 1, 0)), List.of(), List.of());
        MetricSeries s = store.getMetricSeries(id, "acc");
        assertEquals(6, s.total());
        assertEquals(List.of(1L, 2L, 2L, 3L), java.util.Arrays.stream(s.steps()).boxed().toList());
        assertEquals(List.of(1000L, 500L, 5000L, 3000L), java.util.Arrays.stream(s.timestamps()).boxed().toList());
        assertEquals(List.of(0.1, 0.7, 0.5, 0.9), java.util.Arrays.stream(s.values()).boxed().toList());
        assertEquals(0, store.getMetricSeries(id, "missing").total());
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.getMetricSeries("missing", "acc"));
    }

    @Test
    void metricHistoryPagesInTheOrderItWasLogged() {
        String id = newRun("0").info().runId();
        List<Long> logged = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            List<Metric> points = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int step = b * 1000 + i;
                points.add(new Metric("loss", 1.0 / (step + 1), 1000 + step, step));
            }
            Collections.shuffle(points, new Random(b));
            store.logBatch(id, points, List.of(), List.of());
            points.forEach(p -> logged.add(p.step()));
        }
        List<Metric> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page<Metric> page = store.getMetricHistory(id, "loss", 1500, token);
            all.addAll(page.items());
            token = page.nextPageToken();
            pages++;
        } while (token != null);
        assertEquals(4, pages);
        assertEquals(5000, all.size());
        assertEquals(logged, all.stream().map(Metric::step).toList());
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.getMetricHistory("missing", "loss", null, null));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.getMetricHistory(id, "loss", 10, "not base64 !!"));
    }

    @Test
    void tagsCanBeSetOverwrittenAndDeleted() {
        String id = newRun("0").info().runId();
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("a", "1")));
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("a", "2")));
        assertTrue(store.getRun(id).tags().contains(new Tag("a", "2")));
        store.deleteTag(id, "a");
        assertFalse(store.getRun(id).tags().stream().anyMatch(t -> t.key().equals("a")));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.deleteTag(id, "a"));
    }

    @Test
    void deletedRunsAreHiddenUntilRestored() {
        String id = newRun("0").info().runId();
        store.deleteRun(id);
        assertEquals(0, store.searchRuns(List.of("0"), null, ViewType.ACTIVE_ONLY, 10, List.of(), null).items().size());
        assertEquals(1, store.searchRuns(List.of("0"), null, ViewType.DELETED_ONLY, 10, List.of(), null).items().size());
        store.restoreRun(id);
        assertEquals(1, store.searchRuns(List.of("0"), null, ViewType.ACTIVE_ONLY, 10, List.of(), null).items().size());
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.deleteRun("nope"));
    }

    /** Ten runs: lr = 0.0i, acc = i/10, tag model = "Net-" + (even ? "A" : "b"), odd runs FINISHED. */
    private List<String> searchFixture(String experimentId) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Run r = store.createRun(experimentId, "u", 1000 + i, "run-" + i, List.of());
            String id = r.info().runId();
            List<Metric> metrics = i == 9 ? List.of() : List.of(new Metric("acc", i / 10.0, 5, 1));
            store.logBatch(id, metrics, List.of(new Param("lr", "0.0" + i)),
                    List.of(new Tag("model", "Net-" + (i % 2 == 0 ? "A" : "b"))));
            if (i % 2 == 1) {
                store.updateRun(id, RunStatus.FINISHED, 2000L + i, null);
            }
            ids.add(id);
        }
        return ids;
    }

    private List<String> names(String experimentId, String filter, List<String> order) {
        return store.searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, 100, order, null).items().stream()
                .map(r -> r.info().runName()).toList();
    }

    @Test
    void searchRunsUnderstandsTheFilterLanguage() {
        String exp = store.createExperiment("search", null, List.of()).experimentId();
        List<String> ids = searchFixture(exp);
        assertEquals(Set.of("run-6", "run-7", "run-8"), Set.copyOf(names(exp, "metrics.acc > 0.5", List.of())));
        assertEquals(List.of("run-3"), names(exp, "params.lr = '0.03'", List.of()));
        assertEquals(Set.of("run-1", "run-3", "run-5", "run-7", "run-9"), Set.copyOf(names(exp, "tags.model LIKE 'Net-b%'", List.of())));
        assertEquals(0, names(exp, "tags.model LIKE 'net-%'", List.of()).size(), "LIKE is case-sensitive");
        assertEquals(10, names(exp, "tags.model ILIKE 'net-%'", List.of()).size());
        assertEquals(Set.of("run-7"), Set.copyOf(names(exp,
                "metrics.acc > 0.5 and params.lr = '0.07' and tags.model LIKE 'Net%' and attributes.status = 'FINISHED'", List.of())));
        assertEquals(Set.of("run-1", "run-2"), Set.copyOf(names(exp,
                "attributes.run_id IN ('" + ids.get(1) + "', '" + ids.get(2) + "')", List.of())));
        assertEquals(8, names(exp, "attributes.run_id NOT IN ('" + ids.get(1) + "', '" + ids.get(2) + "')", List.of()).size());
        assertEquals(List.of("run-4"), names(exp, "attributes.run_name = 'run-4'", List.of()));
        assertEquals(Set.of("run-8", "run-9"), Set.copyOf(names(exp, "attributes.start_time >= 1008", List.of())));
        assertEquals(9, names(exp, "metrics.acc != 0.5", List.of()).size() + 1, "run-9 has no acc; run-5 is excluded");
        assertEquals(List.of("run-0"), names(exp, "metrics.`acc` <= 0", List.of()));
        assertEquals(1, names(exp, "params.\"lr\" = \"0.05\"", List.of()).size());
    }

    @Test
    void searchRunsOrdersWithMissingValuesLastAndPages() {
        String exp = store.createExperiment("order", null, List.of()).experimentId();
        searchFixture(exp);
        List<String> byAcc = names(exp, null, List.of("metrics.acc DESC"));
        assertEquals("run-8", byAcc.getFirst());
        assertEquals("run-9", byAcc.getLast(), "a run without the metric sorts last");
        assertEquals("run-0", names(exp, null, List.of("metrics.acc ASC")).getFirst());
        assertEquals("run-9", names(exp, null, List.of()).getFirst(), "default order is newest first");
        assertEquals("run-0", names(exp, null, List.of("attributes.start_time ASC")).getFirst());
        assertEquals("run-9", names(exp, null, List.of("params.lr DESC")).getFirst());

        Set<String> seen = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            Page<Run> page = store.searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, 3, List.of("metrics.acc DESC"), token);
            page.items().forEach(r -> assertTrue(seen.add(r.info().runId()), "no run twice"));
            token = page.nextPageToken();
            pages++;
        } while (token != null);
        assertEquals(10, seen.size());
        assertEquals(4, pages);
    }

    @Test
    void badFiltersAreInvalidParameters() {
        for (String bad : List.of("metrics.acc > 'x'", "params.lr > '1'", "foo.bar = 1", "metrics.acc >", "metrics.acc = 1 or params.a = 'b'",
                "attributes.nope = 'x'", "params.lr = 'unterminated", "tags.t IN 'x'")) {
            fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.searchRuns(List.of("0"), bad, ViewType.ALL, 10, List.of(), null));
        }
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.searchRuns(List.of("0"), null, ViewType.ALL, 10, List.of("metrics.x SIDEWAYS"), null));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.searchRuns(List.of("0"), null, ViewType.ALL, 50_001, List.of(), null));
    }

    @Test
    void datasetInputsAreStoredAndSearchable() {
        String exp = store.createExperiment("data", null, List.of()).experimentId();
        String a = newRun(exp).info().runId();
        String b = newRun(exp).info().runId();
        DatasetInput train = new DatasetInput(List.of(new Tag("mlflow.data.context", "training")),
                new Dataset("questions", "d1g3st", "local", "file:///q.jsonl", "{}", null));
        store.logInputs(a, List.of(train));
        store.logInputs(a, List.of(train));
        store.logInputs(b, List.of(new DatasetInput(List.of(), new Dataset("other", "ffff", "local", "x", null, null))));
        Run ra = store.getRun(a);
        assertEquals(1, ra.inputs().size());
        assertEquals(train, ra.inputs().getFirst());
        assertEquals(Set.of(a), ids(exp, "dataset.name = 'questions'"));
        assertEquals(Set.of(a), ids(exp, "datasets.digest = 'd1g3st'"));
        assertEquals(Set.of(a), ids(exp, "dataset.context = 'training'"));
        assertEquals(Set.of(a, b), ids(exp, "dataset.name IN ('questions', 'other')"));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.logInputs(a, List.of(new DatasetInput(List.of(),
                new Dataset("", "x", "local", "x", null, null)))));
    }

    private Set<String> ids(String exp, String filter) {
        Set<String> out = new HashSet<>();
        store.searchRuns(List.of(exp), filter, ViewType.ALL, 100, List.of(), null).items().forEach(r -> out.add(r.info().runId()));
        return out;
    }

    @Test
    void reopeningKeepsDataAndSchema() {
        Experiment e = store.createExperiment("durable", null, List.of());
        String id = newRun(e.experimentId()).info().runId();
        store.logBatch(id, List.of(new Metric("m", 1.5, 1, 1)), List.of(new Param("p", "v")), List.of());
        store.close();
        store = JdbcTrackerStore.open(database.sameDatabase(), "mlflow-artifacts:");
        Run r = store.getRun(id);
        assertEquals(List.of(new Param("p", "v")), r.params());
        assertEquals(1.5, r.latestMetrics().getFirst().value());
        assertEquals(2, store.searchExperiments(ViewType.ALL, null, List.of(), 10, null).items().size(), "no second Default");
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        String id = newRun("0").info().runId();
        int threads = 8;
        int batches = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int b = 0; b < batches; b++) {
                    List<Metric> points = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        points.add(new Metric("w" + thread, i, b, b * 50 + i));
                    }
                    store.logBatch(id, points, List.of(new Param("p" + thread + "_" + b, "v")), List.of());
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        for (int t = 0; t < threads; t++) {
            assertEquals(batches * 50, store.getMetricHistory(id, "w" + t, null, null).items().size());
        }
        assertEquals(threads * batches, store.getRun(id).params().size());
    }
}
