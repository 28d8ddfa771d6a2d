package yardstick.magics.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import yardstick.magics.finetune.job.CommandSpec;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobRegistry;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.job.JobState;
import yardstick.magics.finetune.job.LocalBackend;
import yardstick.common.YardstickNames;
import yardstick.magics.track.Tracking;
import yardstick.tracker.home.HomeTracker;

/** Command jobs as real processes (a Python script logging over MLflow's REST API) against a real tracker. */
class CommandJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path tmp;
    private Tracking tracking;

    @BeforeEach
    void open() {
        tracking = track(tmp.resolve("home"));
    }

    @AfterEach
    void close() {
        if (tracking != null) tracking.close();
    }

    private static Tracking track(Path home) {
        return new Tracking(new Tracking.Settings(null, null, null, null, home, "jobs", null, true), QUIET, QUIET);
    }

    private Finetune jobs(Tracking t) {
        return new Finetune(new JobRegistry(tmp.resolve("home").resolve("jobs")),
                Map.of("local", new LocalBackend(FinetuneTest.DJL_CACHE)), () -> t);
    }

    static Path script() throws URISyntaxException {
        return Path.of(CommandJobTest.class.getResource("/trainers/steps_logger.py").toURI());
    }

    private JobSpec command(String args) throws Exception {
        return JobSpec.command("python3 " + script() + " " + args, tmp.toString());
    }

    @Test
    void theTrainerLogsIntoTheRunCreatedForItAndTheJobFinishes() throws Exception {
        Path data = Files.writeString(tmp.resolve("pairs.jsonl"), "{\"prompt\":\"a\",\"response\":\"b\"}\n");
        Finetune f = jobs(tracking);
        JobSpec spec = command("--steps 50 --batch 10");
        spec = spec.withCommand(spec.command().withData(List.of("pairs.jsonl")).withEnv(Map.of("MY_FLAG", "on")));
        String id = f.launch(spec);
        JobRecord r = f.await(id, Duration.ofMinutes(1));
        assertEquals(JobState.FINISHED, r.state(), () -> r.reason() + "\n" + f.logs(id, 20));

        JsonNode env = JSON.readTree(tmp.resolve("env.json").toFile());
        assertEquals(r.runId(), env.get("MLFLOW_RUN_ID").asText());
        assertEquals(tracking.uri().toString(), env.get("MLFLOW_TRACKING_URI").asText());
        assertEquals(tracking.experimentId(), env.get("MLFLOW_EXPERIMENT_ID").asText());
        assertEquals(id, env.get("YARDSTICK_JOB_ID").asText());
        assertEquals("on", JSON.readTree(Files.readString(tmp.resolve("env.json"))).path("MY_FLAG").asText("on"));

        tracking.flush(Duration.ofSeconds(10));
        var client = tracking.client();
        List<Service.Metric> loss = client.getMetricHistory(r.runId(), "loss");
        assertEquals(50, loss.size());
        assertEquals(3.0 / 50, loss.get(49).getValue(), 1e-12);
        Service.Run run = client.getRun(r.runId());
        assertEquals(Service.RunStatus.FINISHED, run.getInfo().getStatus());
        Map<String, String> params = new java.util.HashMap<>();
        run.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        assertTrue(params.get("command").contains("steps_logger.py"), params.toString());
        assertEquals(tmp.toString(), params.get("workdir"));
        assertEquals("50", params.get("total_steps"));
        assertEquals(1, run.getInputs().getDatasetInputsCount());
        assertEquals("pairs.jsonl", run.getInputs().getDatasetInputs(0).getDataset().getName());
        assertEquals(50, f.progress(id).step());
        assertEquals(50, f.progress(id).steps());
        var artifacts = new yardstick.tracker.client.ArtifactClient(tracking.uri());
        assertTrue(artifacts.list(artifacts.artifactUri(r.runId()), "").stream().anyMatch(a -> a.path().equals("log.txt")));
    }

    @Test
    void aNonZeroExitFailsTheJobWithTheLogsEnd() throws Exception {
        Finetune f = jobs(tracking);
        String id = f.launch(command("--steps 5 --batch 5 --exit 3"));
        JobRecord r = f.await(id, Duration.ofMinutes(1));
        assertEquals(JobState.FAILED, r.state());
        assertEquals("exit 3", r.reason());
        assertTrue(f.logs(id, 5).contains("failing on purpose with exit 3"), f.logs(id, 5));
        tracking.flush(Duration.ofSeconds(10));
        assertEquals(Service.RunStatus.FAILED, tracking.client().getRun(r.runId()).getInfo().getStatus());
    }

    @Test
    void aMissingProgramOrGpusThatAreNotThereFailBeforeLaunch() throws Exception {
        Finetune f = jobs(tracking);
        JobException e = assertThrows(JobException.class, () -> f.launch(JobSpec.command("trian.py --lr 1", tmp.toString())));
        assertTrue(e.getMessage().contains("command 'trian.py' not found on PATH"), e.getMessage());
        Files.writeString(tmp.resolve("train.sh"), "echo hi\n");
        e = assertThrows(JobException.class, () -> f.launch(JobSpec.command("./train.sh", tmp.toString())));
        assertTrue(e.getMessage().contains("not executable"), e.getMessage());
        JobSpec two = command("--steps 1").withPlacement("auto", "local", 2);
        e = assertThrows(JobException.class, () -> f.launch(two));
        assertTrue(e.getMessage().startsWith("--gpus 2 asked for 2 GPUs; this machine has "), e.getMessage());
        JobSpec badData = command("--steps 1");
        Files.writeString(tmp.resolve("bad.jsonl"), "{\"prompt\":\"a\"}\n{oops\n");
        e = assertThrows(JobException.class, () -> f.launch(badData.withCommand(badData.command().withData(List.of("bad.jsonl")))));
        assertTrue(e.getMessage().endsWith("bad.jsonl line 2 is not valid JSON"), e.getMessage());
        e = assertThrows(JobException.class, () -> f.launch(badData.withCommand(badData.command().withData(List.of("nope.jsonl")))));
        assertTrue(e.getMessage().startsWith("--data nope.jsonl: no such file"), e.getMessage());
        assertTrue(f.registry().list().isEmpty(), "nothing was launched");
    }

    @Test
    void cancelKillsTheWholeProcessGroup() throws Exception {
        Finetune f = jobs(tracking);
        String id = f.launch(command("--steps 100000 --batch 10 --pause 0.2 --child"));
        Path pidFile = tmp.resolve("child.pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.isRegularFile(pidFile) || Files.readString(pidFile).isBlank()) {
            assertTrue(System.nanoTime() < deadline, f.logs(id, 10));
            Thread.sleep(50);
        }
        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(running(child));
        JobRecord r = f.cancel(id);
        assertEquals(JobState.KILLED, r.state());
        assertFalse(running(r.pid()), "the trainer is gone");
        for (int i = 0; i < 50 && running(child); i++) Thread.sleep(20);
        assertFalse(running(child), "the trainer's child is gone too");
    }

    /** Running, not a zombie: a killed orphan may wait a while for a container's first process to reap it. */
    private static boolean running(long pid) throws java.io.IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) return false;
        String s = Files.readString(stat);
        char state = s.charAt(s.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }

    @Test
    void aTrainerKilledWithSigkillIsAFailureThatSaysSo() throws Exception {
        Finetune f = jobs(tracking);
        String id = f.launch(command("--steps 100000 --batch 10 --pause 0.2"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (f.progress(id).step() == 0) {
            assertTrue(System.nanoTime() < deadline, f.logs(id, 10));
            Thread.sleep(50);
        }
        // The wrapper's child is the trainer: SIGKILL it alone, as the out-of-memory killer would.
        ProcessHandle wrapper = ProcessHandle.of(f.registry().get(id).pid()).orElseThrow();
        ProcessHandle trainer = wrapper.children().findFirst().orElse(wrapper);
        new ProcessBuilder("kill", "-KILL", Long.toString(trainer.pid())).start().waitFor();
        JobRecord r = f.await(id, Duration.ofSeconds(30));
        assertEquals(JobState.FAILED, r.state());
        assertTrue(r.reason().startsWith("killed by signal 9 (SIGKILL"), r.reason());
    }

    /**
     * The home's tracker goes away mid-run (stopped, as a reboot would); the trainer keeps what the tracker did not
     * take, the next kernel starts the home's tracker again on the same port, re-attaches to the job, and every one of
     * 10,000 points arrives.
     */
    @Test
    void aTrackerRestartMidRunLosesNoMetric() throws Exception {
        var env = yardstick.kernel.magic.Environment.shared();
        String wasMode = env.get(YardstickNames.TRACKER_MODE_ENV);
        env.set(YardstickNames.TRACKER_MODE_ENV, "shared");
        Path home = tmp.resolve("home");
        tracking.close();
        tracking = track(home);
        try {
            Finetune first = jobs(tracking);
            String id = first.launch(command("--steps 10000 --batch 500 --pause 0.15"));
            String runId = first.registry().get(id).runId();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (first.progress(id).step() < 1000) {
                assertTrue(System.nanoTime() < deadline, first.logs(id, 10));
                Thread.sleep(20);
            }
            int port = tracking.uri().getPort();
            tracking.close();
            tracking = null;
            assertTrue(HomeTracker.stop(home));
            Thread.sleep(700);
            tracking = track(home);
            assertEquals(port, tracking.uri().getPort(), "the tracker comes back where the trainer looks for it");
            Finetune second = jobs(tracking);
            JobRecord r = second.await(id, Duration.ofMinutes(1));
            assertEquals(JobState.FINISHED, r.state(), () -> r.reason() + "\n" + second.logs(id, 20));
            assertTrue(second.logs(id, 400).contains("tracker unreachable"), "the restart happened mid-run");
            List<Service.Metric> loss = tracking.client().getMetricHistory(runId, "loss");
            assertEquals(10_000, loss.size());
            assertEquals(10_000, loss.stream().map(Service.Metric::getStep).distinct().count());
        } finally {
            HomeTracker.stop(home);
            env.set(YardstickNames.TRACKER_MODE_ENV, wasMode);
        }
    }

    /** A finished job's weights become versions of a registered model, and models:/ URIs prompt them. */
    @Test
    void aFinishedJobIsRegisteredAndItsModelAnswersPromptsByItsModelUri() throws Exception {
        System.setProperty(yardstick.magics.YardstickHome.PROPERTY, tmp.resolve("home").toString());
        var env = yardstick.kernel.magic.Environment.shared();
        String wasTracking = env.get("YARDSTICK_TRACKING"), wasUri = env.get("MLFLOW_TRACKING_URI");
        env.set("YARDSTICK_TRACKING", "on");
        env.set("MLFLOW_TRACKING_URI", tracking.uri().toString());
        Tracking.reset();
        try {
            Path weights = Files.copy(yardstick.magics.llm.local.BundledModel.file(tmp.resolve("home")), tmp.resolve("tuned.ysw"));
            Finetune f = jobs(tracking);
            String id = f.launch(command("--steps 2 --batch 1 --artifact " + weights).withRegister("tuned"));
            assertEquals(JobState.FINISHED, f.await(id, Duration.ofMinutes(1)).state(), () -> f.logs(id, 10));
            assertEquals("2", f.register(id, "tuned"), "a second registration is the next version");
            String local = yardstick.magics.llm.Llm.model("local").withTemperature(0).withMaxTokens(12).withoutCache()
                    .complete("Yardstick is").text();
            for (String uri : List.of("models:/tuned/1", "models:/tuned/latest")) {
                assertEquals(local, yardstick.magics.llm.Llm.model(uri).withTemperature(0).withMaxTokens(12).withoutCache()
                        .complete("Yardstick is").text(), uri + " holds the same weights as the bundled model");
            }
            var e = assertThrows(yardstick.magics.llm.LlmException.class, () -> yardstick.magics.llm.Llm.model("models:/tuned/99")
                    .complete("x"));
            assertTrue(e.getMessage().contains("model tuned has no version 99 (latest: 2)"), e.getMessage());
            e = assertThrows(yardstick.magics.llm.LlmException.class, () -> yardstick.magics.llm.Llm.model("models:/nope/1").complete("x"));
            assertTrue(e.getMessage().contains("no registered model named 'nope'"), e.getMessage());
            JobException notDone = assertThrows(JobException.class, () -> f.register(f.launch(command("--steps 1 --exit 2")), "x"));
            assertTrue(notDone.getMessage().contains("only a finished job can be registered"), notDone.getMessage());
        } finally {
            Tracking.reset();
            env.set("YARDSTICK_TRACKING", wasTracking);
            env.set("MLFLOW_TRACKING_URI", wasUri);
            System.clearProperty(yardstick.magics.YardstickHome.PROPERTY);
        }
    }

    @Test
    void aCommandJobCannotBeResumedButCanBeLaunchedAgain() throws Exception {
        Finetune f = jobs(tracking);
        String id = f.launch(command("--steps 2 --batch 1 --exit 1"));
        f.await(id, Duration.ofMinutes(1));
        JobException e = assertThrows(JobException.class, () -> f.resume(id));
        assertTrue(e.getMessage().contains("runs a command"), e.getMessage());
    }

    @Test
    void withoutTrackingTheCommandStillRunsAndEndsByItsExitStatus() throws Exception {
        Finetune f = new Finetune(new JobRegistry(tmp.resolve("jobs")), Map.of("local", new LocalBackend(FinetuneTest.DJL_CACHE)),
                () -> null);
        String id = f.launch(command("--steps 3 --batch 1"));
        assertEquals(JobState.FINISHED, f.await(id, Duration.ofMinutes(1)).state(), () -> f.logs(id, 10));
        assertFalse(JSON.readTree(tmp.resolve("env.json").toFile()).has("MLFLOW_RUN_ID"));
        assertEquals(CommandSpec.DEFAULT_PROGRESS_METRIC, f.registry().spec(id).command().progressMetric());
    }
}
