package yardstick.magics.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.tracker.TrackerConfig;
import yardstick.tracker.TrackerServer;
import yardstick.tracker.client.ArtifactClient;
import yardstick.tracker.client.ArtifactFile;

/** Against the real embedded tracker, checked through the unmodified MLflow Java client. */
class TrackingTest {
    @TempDir
    static Path home;
    static Tracking tracking;
    static final ByteArrayOutputStream out = new ByteArrayOutputStream();
    static MlflowClient mlflow;

    @BeforeAll
    static void start() {
        Tracking.Settings s = new Tracking.Settings(null, null, null, null, home, "notebooks/quickstart", "notebooks/quickstart.ipynb", true);
        tracking = new Tracking(s, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        mlflow = new MlflowClient(tracking.uri().toString());
    }

    @AfterAll
    static void stop() {
        tracking.close();
    }

    static Map<String, String> tags(Service.Run r) {
        return r.getData().getTagsList().stream().collect(Collectors.toMap(Service.RunTag::getKey, Service.RunTag::getValue));
    }

    @Test
    void theEmbeddedTrackerStartsUnderTheHomeAndSaysWhereOnce() {
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("Yardstick tracker: http://127.0.0.1:"), printed);
        assertEquals(1, printed.lines().count());
        assertTrue(Files.exists(home.resolve("tracker.db")));
    }

    @Test
    void aMagicsChildRunCarriesParamsMetricsStepsCellSourceVersionInputsAndArtifacts() throws Exception {
        Table data = Table.create("questions", StringColumn.create("question", "What is 2+2?", "Capital of France?"),
                DoubleColumn.create("difficulty", 0.1, 0.5));
        TrackedRun run = tracking.child("prompt batch", "prompt", "%%prompt --over questions\n{{question}}");
        run.param("model", "mini").params(Map.of("temperature", 0.2));
        for (int step = 0; step < 5; step++) run.metric("loss", 1.0 / (step + 1), step);
        run.tag("team", "evals");
        run.input("questions", data, "notebook variable questions");
        run.table("outputs", data);
        run.table("outputs", data, "json");
        run.end();
        assertTrue(tracking.flush(Duration.ofSeconds(10)));

        Service.Run got = mlflow.getRun(run.id());
        assertEquals("FINISHED", got.getInfo().getStatus().name());
        assertEquals("prompt batch", got.getInfo().getRunName());
        Map<String, String> tags = tags(got);
        assertEquals(tracking.session().id(), tags.get("mlflow.parentRunId"));
        assertEquals("%%prompt --over questions\n{{question}}", tags.get(yardstick.tracker.model.Tags.CELL));
        assertEquals("prompt", tags.get("yardstick.magic"));
        assertTrue(tags.containsKey("yardstick.version"));
        assertEquals("evals", tags.get("team"));
        assertEquals("notebooks/quickstart.ipynb", tags.get("mlflow.source.name"));
        Map<String, String> params = got.getData().getParamsList().stream()
                .collect(Collectors.toMap(Service.Param::getKey, Service.Param::getValue));
        assertEquals(Map.of("model", "mini", "temperature", "0.2"), params);
        List<Service.Metric> loss = mlflow.getMetricHistory(run.id(), "loss");
        assertEquals(5, loss.size());
        assertEquals(0.2, loss.stream().filter(m -> m.getStep() == 4).findFirst().orElseThrow().getValue(), 1e-12);

        Service.DatasetInput in = got.getInputs().getDatasetInputsList().get(0);
        assertEquals("questions", in.getDataset().getName());
        assertEquals(Datasets.digest(data), in.getDataset().getDigest());
        assertTrue(in.getDataset().getProfile().contains("\"num_rows\":2"));

        ArtifactClient artifacts = new ArtifactClient(tracking.uri());
        List<String> names = artifacts.list(got.getInfo().getArtifactUri(), null).stream().map(ArtifactFile::path).sorted().toList();
        assertEquals(List.of("outputs.csv", "outputs.json"), names);
        Path csv = artifacts.download(got.getInfo().getArtifactUri(), "outputs.csv", home.resolve("dl.csv"));
        assertEquals("question,difficulty", Files.readAllLines(csv).get(0));
        assertEquals(tracking.experimentId(), got.getInfo().getExperimentId());
        assertEquals("notebooks/quickstart", mlflow.getExperiment(tracking.experimentId()).getName());
    }

    @Test
    void theExperimentCanBeChosenAndLaterRunsGoThere() {
        Tracking tracking = new Tracking(new Tracking.Settings(TrackingTest.tracking.uri().toString(), null, null, null,
                home.resolve("chooser"), "notebooks/chooser", "notebooks/chooser.ipynb", true), System.out, System.err);
        try {
        TrackedRun before = tracking.child("before", "prompt", "%%prompt\nhi");
        before.end();
        String first = tracking.experimentId();
        TrackedRun open = tracking.start("still open");
        assertThrows(IllegalStateException.class, () -> tracking.useExperiment("elsewhere"));
        open.end();
        tracking.useExperiment("team/evals");
        assertEquals("team/evals", tracking.experimentName());
        TrackedRun after = tracking.child("after", "prompt", "%%prompt\nagain");
        after.end();
        assertTrue(tracking.flush(Duration.ofSeconds(10)));
        String second = tracking.experimentId();
        assertTrue(!first.equals(second));
        assertEquals("team/evals", mlflow.getExperiment(second).getName());
        Service.Run got = mlflow.getRun(after.id());
        assertEquals(second, got.getInfo().getExperimentId());
        // Its parent is the new session run, in the same experiment.
        String parent = got.getData().getTagsList().stream().filter(t -> t.getKey().equals("mlflow.parentRunId"))
                .findFirst().orElseThrow().getValue();
        assertEquals(second, mlflow.getRun(parent).getInfo().getExperimentId());
        assertEquals(first, mlflow.getRun(before.id()).getInfo().getExperimentId());
        } finally {
            tracking.close();
        }
    }

    @Test
    void tenThousandMetricPointsAllArriveInBatches() {
        TrackedRun run = tracking.start("many points");
        for (int i = 0; i < 10_000; i++) run.metric("x", i, i);
        run.end();
        assertTrue(tracking.flush(Duration.ofSeconds(30)));
        assertEquals(10_000, mlflow.getMetricHistory(run.id(), "x").size());
    }

    @Test
    void startedRunsNestAndBecomeCurrentUntilTheyEnd() {
        TrackedRun outer = tracking.start("outer");
        TrackedRun inner = tracking.start("inner");
        assertEquals(inner, tracking.current());
        assertTrue(tracking.endStarted("FINISHED"));
        assertEquals(outer, tracking.current());
        assertTrue(tracking.endStarted("KILLED"));
        assertEquals(tracking.session(), tracking.current());
        assertTrue(tracking.flush(Duration.ofSeconds(10)));
        assertEquals(outer.id(), tags(mlflow.getRun(inner.id())).get("mlflow.parentRunId"));
        assertEquals("KILLED", mlflow.getRun(outer.id()).getInfo().getStatus().name());
    }

    @Test
    void badKeysFailInTheCellWithAClearMessage() {
        TrackedRun run = tracking.current();
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> run.metric("a:b", 1));
        assertTrue(e.getMessage().contains("'a:b' is not a valid key"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> run.artifact(home.resolve("missing.txt")));
    }

    @Test
    void anUnreachableTrackerNeverFailsACellWarnsOnceAndGetsEverythingWhenItIsBack(@TempDir Path otherHome) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Tracking.Settings s = new Tracking.Settings("http://127.0.0.1:" + port, null, null, null, otherHome, "offline", null, true);
        Path artifact = Files.writeString(otherHome.resolve("notes.txt"), "kept while offline");
        String runId;
        try (Tracking t = new Tracking(s, System.out, new PrintStream(err, true, StandardCharsets.UTF_8))) {
            TrackedRun run = t.child("while down", "test", "cell");
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) run.metric("m", i, i);
            run.artifact(artifact);
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000, "logging waited on the tracker");
            assertFalse(t.flush(Duration.ofSeconds(10)), "nothing can have reached a tracker that is down");
            assertTrue(t.offline());
            run.metric("m", 100, 100);
            t.flush(Duration.ofSeconds(2));
            String warnings = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, warnings.lines().filter(l -> l.contains("is unreachable")).count(), warnings);
            assertTrue(warnings.contains("127.0.0.1:" + port), warnings);
            try (var spooled = Files.list(otherHome.resolve("spool"))) {
                assertTrue(spooled.anyMatch(p -> p.toString().endsWith(".jsonl")));
            }

            try (TrackerServer server = TrackerServer.start(TrackerConfig.defaults().withPort(port)
                    .withStore("sqlite:" + otherHome.resolve("late.db")).withArtifactRoot(otherHome.resolve("late-artifacts")))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (t.offline() && System.nanoTime() < deadline) Thread.sleep(50);
                assertFalse(t.offline(), "the spool was not replayed");
                run.end();
                assertTrue(t.flush(Duration.ofSeconds(10)));
                runId = run.id();
                MlflowClient c = new MlflowClient(server.uri().toString());
                assertEquals(101, c.getMetricHistory(runId, "m").size());
                assertEquals("FINISHED", c.getRun(runId).getInfo().getStatus().name());
                ArtifactClient a = new ArtifactClient(server.uri());
                assertEquals(List.of("notes.txt"), a.list(c.getRun(runId).getInfo().getArtifactUri(), null).stream()
                        .map(ArtifactFile::path).toList());
                assertTrue(err.toString(StandardCharsets.UTF_8).contains("is back"));
            }
        }
        // The tracker stopped before the session ended: only the session's end waits on disk for the next session.
        List<Path> left;
        try (var files = Files.list(otherHome.resolve("spool"))) {
            left = files.filter(p -> p.toString().endsWith(".jsonl")).toList();
        }
        assertEquals(1, left.size());
        List<String> ops = Files.readAllLines(left.get(0)).stream().map(l -> l.replaceAll(".*\"op\":\"(\\w+)\".*", "$1")).toList();
        assertEquals(List.of("bind", "end"), ops);
    }

    @Test
    void aSpoolLeftByAnEndedSessionIsReplayedByTheNextOne(@TempDir Path otherHome) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Tracking.Settings s = new Tracking.Settings("http://127.0.0.1:" + port, null, null, null, otherHome, "orphans", null, true);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Tracking first = new Tracking(s, quiet, quiet)) {
            TrackedRun run = first.start("from an ended session");
            run.param("p", "1");
            run.metric("m", 7);
            run.end();
        }
        try (TrackerServer server = TrackerServer.start(TrackerConfig.defaults().withPort(port)
                .withStore("sqlite:" + otherHome.resolve("t.db")).withArtifactRoot(otherHome.resolve("a")));
                Tracking second = new Tracking(s, quiet, quiet)) {
            MlflowClient c = new MlflowClient(server.uri().toString());
            String experiment = second.experimentId();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<Service.RunInfo> runs = List.of();
            while (System.nanoTime() < deadline) {
                runs = c.searchRuns(List.of(experiment), "attributes.run_name = 'from an ended session'");
                if (!runs.isEmpty() && runs.get(0).getStatus() == Service.RunStatus.FINISHED) break;
                Thread.sleep(50);
            }
            assertEquals(1, runs.size());
            Service.Run r = c.getRun(runs.get(0).getRunId());
            assertEquals("1", r.getData().getParams(0).getValue());
            assertEquals(7.0, r.getData().getMetrics(0).getValue());
        }
    }

    @Test
    void trackingOffMakesEveryCallANoOp(@TempDir Path otherHome) {
        Tracking.Settings s = new Tracking.Settings(null, null, null, null, otherHome, "x", null, false);
        try (Tracking t = new Tracking(s, System.out, System.err)) {
            TrackedRun r = t.child("c", "m", "cell");
            r.metric("a", 1).param("b", 2).tag("c", "d");
            r.end();
            assertEquals(null, r.id());
            assertFalse(Files.exists(otherHome.resolve("tracker.db")));
        }
    }

    @Test
    void experimentNamesComeFromTheNotebookPathOrTheWorkingDirectory() {
        assertEquals("notebooks/01-quickstart", Tracking.Settings.experimentName("/repo/notebooks/01-quickstart.ipynb", Path.of("/x")));
        assertEquals("project", Tracking.Settings.experimentName(null, Path.of("/home/me/project")));
        Tracking.Settings s = Tracking.Settings.fromEnvironment(Map.of("MLFLOW_EXPERIMENT_NAME", "mine")::get, Path.of("/x"));
        assertEquals("mine", s.experiment());
        assertFalse(Tracking.Settings.fromEnvironment(Map.of("YARDSTICK_TRACKING", "off")::get, Path.of("/x")).enabled());
    }
}
