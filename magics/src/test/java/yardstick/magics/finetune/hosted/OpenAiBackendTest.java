package yardstick.magics.finetune.hosted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.kernel.magic.Environment;
import yardstick.magics.finetune.Finetune;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobListener;
import yardstick.magics.finetune.job.JobMonitor;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobRegistry;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.job.JobState;
import yardstick.magics.finetune.job.Progress;
import yardstick.magics.finetune.train.TrainerMain;
import yardstick.magics.llm.Completion;
import yardstick.magics.llm.Endpoint;
import yardstick.magics.llm.Llm;
import yardstick.magics.llm.ModelCatalog;
import yardstick.magics.llm.RetryPolicy;
import yardstick.magics.track.ModelRegistry;
import yardstick.magics.track.Tracking;

/** Hosted fine-tunes end to end against an in-process service that speaks OpenAI's fine-tuning API. */
class OpenAiBackendTest {
    static final String BASE = "gpt-4o-mini-2024-07-18";
    static final RetryPolicy FAST = new RetryPolicy(2, Duration.ofMillis(5), Duration.ofSeconds(2));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;
    FakeFineTuning fake;
    JobRegistry registry;
    final Map<String, String> env = new HashMap<>();
    final List<OpenAiBackend> backends = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        fake = new FakeFineTuning();
        fake.requiredKey = "sk-test";
        env.put("FT_TEST_KEY", "sk-test");
        Files.writeString(home.resolve("models.yaml"), """
                models:
                  hosted:
                    base_url: %s
                    model: %s
                    key_env: FT_TEST_KEY
                """.formatted(fake.baseUrl(), BASE));
        registry = new JobRegistry(home.resolve("jobs"));
    }

    @AfterEach
    void stop() {
        backends.forEach(OpenAiBackend::close);
        fake.close();
        System.clearProperty("yardstick.home");
    }

    private OpenAiBackend backend() {
        OpenAiBackend b = new OpenAiBackend(registry, () -> ModelCatalog.load(home, env::get), env::get, FAST, Duration.ofMillis(20));
        backends.add(b);
        return b;
    }

    private Path data(String name, int examples) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < examples; i++) {
            b.append("{\"messages\": [{\"role\": \"system\", \"content\": \"Answer as a pirate.\"}, {\"role\": \"user\", \"content\":"
                    + " \"Question ").append(i).append("?\"}, {\"role\": \"assistant\", \"content\": \"Arr, answer ").append(i)
                    .append(".\"}]}\n");
        }
        return Files.writeString(home.resolve(name), b);
    }

    /** A job folder as the launcher leaves it: spec.json with the hosted fields, and job.json. */
    private JobRecord job(String id, Path train, Path valid, String endpoint) throws IOException {
        Path dir = registry.dir(id);
        OpenAiBackend.spec(train.toString(), BASE).withId(id)
                .withHosted(new JobSpec.Hosted(valid == null ? null : valid.toString(), endpoint, "pirate"))
                .write(dir.resolve(TrainerMain.SPEC));
        JobRecord r = JobRecord.created(id, OpenAiBackend.NAME, JobState.RUNNING);
        registry.save(r);
        return registry.get(id);
    }

    /** What a monitor's listeners saw. */
    static final class Seen implements JobListener {
        final List<Progress> steps = new CopyOnWriteArrayList<>();
        final Map<String, Map<Long, Double>> metrics = new TreeMap<>();
        final List<String> twice = new CopyOnWriteArrayList<>();
        volatile Path result;

        @Override
        public void step(Progress p) {
            steps.add(p);
        }

        @Override
        public synchronized void metric(String key, double value, long step) {
            Double old = metrics.computeIfAbsent(key, k -> new TreeMap<>()).put(step, value);
            if (old != null) twice.add(key + " at step " + step);
        }

        @Override
        public void ended(JobRecord record, Progress last, Path result, String logTail) {
            this.result = result;
        }

        List<Long> stepNumbers() {
            return steps.stream().map(Progress::step).toList();
        }
    }

    private CompletableFuture<JobRecord> follow(OpenAiBackend b, String id, Seen seen) {
        return new JobMonitor(registry, b, id, 0).listen(seen).start().done();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("gave up waiting: " + what);
            Thread.sleep(20);
        }
    }

    private List<JsonNode> progress(String id) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        Path f = registry.dir(id).resolve(TrainerMain.PROGRESS);
        if (!Files.isRegularFile(f)) return out;
        for (String l : Files.readAllLines(f)) if (!l.isBlank()) out.add(JSON.readTree(l));
        return out;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void aJobRunsToItsModelWhichTheCatalogServesAndLlmPrompts() throws Exception {
        JobRecord r = job("ft-ok", data("train.jsonl", 4), data("valid.jsonl", 2), "hosted");
        OpenAiBackend b = backend();
        b.launch(r, registry.dir("ft-ok"));
        Seen seen = new Seen();
        JobRecord end = follow(b, "ft-ok", seen).get(30, TimeUnit.SECONDS);
        assertEquals(JobState.FINISHED, end.state(), end.reason());

        FakeFineTuning.Job served = fake.onlyJob();
        assertEquals(12, served.totalSteps, "4 examples, 3 epochs (the service's choice), batch 1");
        assertEquals(range(1, 12), seen.stepNumbers(), "every step once, in order");
        assertEquals(served.trainLoss, seen.steps.stream().map(Progress::loss).toList());
        Progress last = seen.steps.get(11);
        assertEquals(12, last.steps());
        assertEquals(3, last.epoch());
        assertEquals(served.validLoss, seen.metrics.get("valid_loss"));
        assertEquals(List.of(), seen.twice);
        assertEquals(6, seen.metrics.get("valid_mean_token_accuracy").size());
        assertEquals(12, seen.metrics.get("train_mean_token_accuracy").size());
        assertEquals(registry.dir("ft-ok").resolve(ModelCatalog.TUNED_MODEL), seen.result);

        JsonNode sent = fake.createRequests.get(0);
        assertEquals(BASE, sent.get("model").asText());
        assertEquals("pirate", sent.get("suffix").asText());
        assertEquals(served.validationFile, sent.get("validation_file").asText());
        assertFalse(sent.has("hyperparameters"), "epochs, batch and lr are left to the service: " + sent);
        assertEquals(Files.readAllBytes(home.resolve("train.jsonl")).length, fake.files.get(served.trainingFile).content().length);

        String hosted = Files.readString(registry.dir("ft-ok").resolve(HostedJob.FILE));
        assertFalse(hosted.contains("sk-test"), "the key stays in the environment");
        HostedJob h = HostedJob.read(registry.dir("ft-ok"));
        assertEquals(served.id, h.fineTuningJobId());
        assertEquals("FT_TEST_KEY", h.keyEnv());
        assertEquals("hosted", h.endpoint());

        JsonNode model = JSON.readTree(registry.dir("ft-ok").resolve(ModelCatalog.TUNED_MODEL).toFile());
        assertEquals(served.fineTunedModel, model.get("fine_tuned_model").asText());
        assertEquals(fake.baseUrl(), model.get("base_url").asText());
        assertEquals(BASE, model.get("model").asText());
        assertEquals(3702, model.get("trained_tokens").asLong());
        assertEquals(served.resultFile, model.get("result_files").get(0).asText());
        assertEquals(3, model.get("checkpoints").size());

        ModelCatalog catalog = ModelCatalog.load(home, env::get);
        Endpoint e = catalog.resolve(served.fineTunedModel);
        assertEquals(fake.baseUrl(), e.baseUrl());
        assertEquals(served.fineTunedModel, e.model());
        assertEquals("FT_TEST_KEY", e.keyEnv());
        String checkpoint = model.get("checkpoints").get(0).get("fine_tuned_model_checkpoint").asText();
        assertEquals(checkpoint, catalog.resolve(checkpoint).model());

        System.setProperty("yardstick.home", home.toString());
        Environment.shared().set("FT_TEST_KEY", "sk-test");
        Completion c = Llm.model(served.fineTunedModel).withoutCache().complete("Ahoy");
        assertEquals("tuned " + served.fineTunedModel + " says: Ahoy", c.text());
    }

    /** Through the notebook's API: launched, tracked, registered, and prompted as models:/NAME/1 on its endpoint. */
    @Test
    void aHostedJobLaunchedFromFinetuneIsRegisteredAsAnEndpointAndPromptedByItsModelUri() throws Exception {
        System.setProperty("yardstick.home", home.toString());
        Environment.shared().set("FT_TEST_KEY", "sk-test");
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        String wasTracking = Environment.shared().get("YARDSTICK_TRACKING"), wasUri = Environment.shared().get("MLFLOW_TRACKING_URI");
        try (Tracking t = new Tracking(new Tracking.Settings(null, null, null, null, home, "hosted", null, true), quiet, quiet)) {
            Environment.shared().set("YARDSTICK_TRACKING", "on");
            Environment.shared().set("MLFLOW_TRACKING_URI", t.uri().toString());
            Tracking.reset();
            Finetune f = new Finetune(registry, Map.of(OpenAiBackend.NAME, backend()), () -> t);
            JobSpec spec = OpenAiBackend.spec(data("train.jsonl", 4).toString(), BASE)
                    .withHosted(new JobSpec.Hosted(null, "hosted", "pirate")).withRegister("pirate");
            String id = f.launch(spec);
            JobRecord end = f.await(id, Duration.ofSeconds(30));
            assertEquals(JobState.FINISHED, end.state(), end.reason());
            String tuned = fake.onlyJob().fineTunedModel;
            // The run's id is recorded once the tracker has answered, beside the job: wait for it.
            String runId = null;
            for (int i = 0; i < 100 && (runId = registry.get(id).runId()) == null; i++) Thread.sleep(50);
            assertNotNull(runId, "the job's run id was recorded");
            t.flush(Duration.ofSeconds(10));
            assertEquals(12, t.client().getMetricHistory(runId, "loss").size(), "train_loss per step reached the run");
            ModelRegistry.Version v = new ModelRegistry(t.client(), new yardstick.tracker.client.ArtifactClient(t.uri()))
                    .resolve("models:/pirate/1");
            assertEquals("endpoint", v.kind());
            assertEquals(tuned, v.tags().get(ModelRegistry.MODEL));
            assertEquals(fake.baseUrl(), v.tags().get(ModelRegistry.BASE_URL));
            assertEquals("tuned " + tuned + " says: Ahoy", Llm.model("models:/pirate/1").withoutCache().complete("Ahoy").text());
            assertThrows(JobException.class, () -> f.resume(id));
        } finally {
            Tracking.reset();
            Environment.shared().set("YARDSTICK_TRACKING", wasTracking);
            Environment.shared().set("MLFLOW_TRACKING_URI", wasUri);
        }
    }

    @Test
    void aBadKeyFailsTheLaunchNamingTheVariableAndLeavesNothingBehind() throws Exception {
        env.put("FT_TEST_KEY", "sk-wrong");
        JobRecord r = job("ft-401", data("train.jsonl", 4), null, "hosted");
        OpenAiBackend b = backend();
        JobException e = assertThrows(JobException.class, () -> b.launch(r, registry.dir("ft-401")));
        assertTrue(e.getMessage().startsWith(fake.baseUrl() + " answered 401 Unauthorized: set FT_TEST_KEY to a valid API key"),
                e.getMessage());
        env.remove("FT_TEST_KEY");
        e = assertThrows(JobException.class, () -> b.launch(r, registry.dir("ft-401")));
        assertTrue(e.getMessage().contains("set FT_TEST_KEY") && e.getMessage().contains("You didn't provide an API key"),
                e.getMessage());
        assertEquals(0, fake.fileCount("fine-tune"));
        assertEquals(0, fake.jobCount());
        assertFalse(Files.exists(registry.dir("ft-401").resolve(HostedJob.FILE)));
        assertFalse(b.alive(r), "a job that never reached the service is not running");
    }

    @Test
    void aRateLimitIsWaitedOutAndTheEnvironmentEndpointServesAPlainModelName() throws Exception {
        env.put("OPENAI_BASE_URL", fake.baseUrl());
        env.put("OPENAI_API_KEY", "sk-test");
        env.remove("FT_TEST_KEY");
        fake.then(FakeFineTuning.status(429, "Rate limit reached for requests", Map.of("Retry-After", "1")));
        JobRecord r = job("ft-429", data("train.jsonl", 3), null, null);
        OpenAiBackend b = backend();
        b.launch(r, registry.dir("ft-429"));
        assertEquals(2, fake.count("POST /v1/files"));
        assertEquals(1, fake.fileCount("fine-tune"));
        Seen seen = new Seen();
        assertEquals(JobState.FINISHED, follow(b, "ft-429", seen).get(30, TimeUnit.SECONDS).state());
        assertEquals(range(1, 9), seen.stepNumbers());
        assertEquals(null, seen.metrics.get("valid_loss"), "no validation file, no validation loss");
        HostedJob h = HostedJob.read(registry.dir("ft-429"));
        assertEquals("OPENAI_API_KEY", h.keyEnv());
        assertEquals(null, h.endpoint());
    }

    @Test
    void serverErrorsAreRetriedThenReportedAndTheUploadsRemoved() throws Exception {
        for (int i = 0; i < 3; i++) {
            fake.then(FakeFineTuning.status(500, "The server had an error while processing your request.", Map.of())
                    .on("POST /v1/fine_tuning/jobs"));
        }
        JobRecord r = job("ft-500", data("train.jsonl", 4), data("valid.jsonl", 2), "hosted");
        JobException e = assertThrows(JobException.class, () -> backend().launch(r, registry.dir("ft-500")));
        assertEquals(fake.baseUrl() + " answered 500 to POST /fine_tuning/jobs after 2 retries: The server had an error while"
                + " processing your request.", e.getMessage());
        assertEquals(3, fake.count("POST /v1/fine_tuning/jobs"));
        assertEquals(2, fake.count("POST /v1/files"));
        assertEquals(0, fake.fileCount("fine-tune"), "both uploads are deleted again");
        assertEquals(0, fake.jobCount());
        assertFalse(Files.exists(registry.dir("ft-500").resolve(HostedJob.FILE)));
    }

    @Test
    void aJobThatFailsRemotelyFailsWithTheServicesMessage() throws Exception {
        String why = "The job failed due to an internal error while training.";
        fake.failNextJob("internal_error", why, null, 4);
        JobRecord r = job("ft-fail", data("train.jsonl", 4), null, "hosted");
        OpenAiBackend b = backend();
        b.launch(r, registry.dir("ft-fail"));
        Seen seen = new Seen();
        JobRecord end = follow(b, "ft-fail", seen).get(30, TimeUnit.SECONDS);
        assertEquals(JobState.FAILED, end.state());
        assertEquals(why, end.reason());
        assertEquals(why, registry.get("ft-fail").reason());
        assertEquals(range(1, 4), seen.stepNumbers());
        assertTrue(registry.logTail("ft-fail", 5).contains("error: " + why), registry.logTail("ft-fail", 5));
        assertFalse(Files.exists(registry.dir("ft-fail").resolve(ModelCatalog.TUNED_MODEL)));
    }

    @Test
    void cancellingStopsTheRemoteJobAndTheJobEndsKilled() throws Exception {
        fake.holdAtStep = 3;
        JobRecord r = job("ft-cancel", data("train.jsonl", 4), null, "hosted");
        OpenAiBackend b = backend();
        b.launch(r, registry.dir("ft-cancel"));
        Seen seen = new Seen();
        CompletableFuture<JobRecord> done = follow(b, "ft-cancel", seen);
        await(() -> seen.steps.size() == 3, "three steps");
        JobRecord asked = registry.get("ft-cancel").withCancelRequested();
        registry.save(asked);
        b.cancel(asked);
        FakeFineTuning.Job served = fake.onlyJob();
        assertEquals("cancelled", served.status);
        assertEquals(1, fake.count("POST /v1/fine_tuning/jobs/" + served.id + "/cancel"));
        JobRecord end = done.get(30, TimeUnit.SECONDS);
        assertEquals(JobState.KILLED, end.state());
        assertFalse(b.alive(end));
    }

    @Test
    void aMalformedFileIsNamedByLineAndFieldAndNothingIsUploaded() throws Exception {
        Path train = data("train.jsonl", 4);
        List<String> lines = new ArrayList<>(Files.readAllLines(train));
        lines.set(2, lines.get(2).replace("\"role\": \"user\"", "\"role\": \"bot\""));
        Files.write(train, lines);
        JobRecord r = job("ft-bad", train, null, "hosted");
        JobException e = assertThrows(JobException.class, () -> backend().launch(r, registry.dir("ft-bad")));
        assertEquals("train.jsonl line 3: messages[1].role must be system, user or assistant, not 'bot'", e.getMessage());

        Path valid = Files.writeString(home.resolve("valid.jsonl"), "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}\n");
        JobRecord r2 = job("ft-bad-valid", data("ok.jsonl", 4), valid, "hosted");
        e = assertThrows(JobException.class, () -> backend().launch(r2, registry.dir("ft-bad-valid")));
        assertEquals("valid.jsonl line 1: no assistant message: each example needs one to learn from", e.getMessage());
        assertEquals(List.of(), fake.requests, "nothing reached the service");
    }

    @Test
    void aMissingFileOrAModelThatIsNotHostedIsRefusedBeforeAnyRequest() throws Exception {
        Path none = home.resolve("none.jsonl");
        JobRecord r = job("ft-none", none, null, "hosted");
        JobException e = assertThrows(JobException.class, () -> backend().launch(r, registry.dir("ft-none")));
        assertEquals("training file " + none + " does not exist", e.getMessage());

        JobRecord local = job("ft-local", data("train.jsonl", 4), null, "local");
        e = assertThrows(JobException.class, () -> backend().launch(local, registry.dir("ft-local")));
        assertTrue(e.getMessage().startsWith("model 'local' runs in this JVM"), e.getMessage());

        JobRecord unknown = job("ft-unknown", data("train.jsonl", 4), null, "nowhere");
        e = assertThrows(JobException.class, () -> backend().launch(unknown, registry.dir("ft-unknown")));
        assertTrue(e.getMessage().startsWith("no model named 'nowhere'"), e.getMessage());
        assertEquals(List.of(), fake.requests);
    }

    @Test
    void aRestartedKernelResumesFromTheLastEventWithoutRepeatingAStep() throws Exception {
        fake.holdAtStep = 5;
        JobRecord r = job("ft-restart", data("train.jsonl", 4), data("valid.jsonl", 2), "hosted");
        OpenAiBackend before = backend();
        before.launch(r, registry.dir("ft-restart"));
        await(() -> {
            try {
                return progress("ft-restart").stream().filter(n -> !n.has("event")).count() == 5;
            } catch (IOException e) {
                return false;
            }
        }, "five steps written");
        before.close(); // the kernel is gone; the remote job goes on
        fake.holdAtStep = Long.MAX_VALUE;

        OpenAiBackend after = backend();
        Seen seen = new Seen();
        JobRecord end = follow(after, "ft-restart", seen).get(30, TimeUnit.SECONDS);
        assertEquals(JobState.FINISHED, end.state(), end.reason());
        assertEquals(range(1, 12), seen.stepNumbers(), "the new poller went on after step 5, and wrote none twice");
        assertEquals(fake.onlyJob().validLoss, seen.metrics.get("valid_loss"));
        assertEquals(List.of(), seen.twice, "no metric reported twice");
        List<JsonNode> lines = progress("ft-restart");
        Set<String> events = new HashSet<>();
        for (JsonNode n : lines) {
            if (n.path("event").asText("").equals("metric")) continue; // a step's metrics share its event
            if (n.has("ft_event")) assertTrue(events.add(n.get("ft_event").asText()), "event written twice: " + n);
        }
        assertEquals(fake.onlyJob().events.size(), events.size(), "every event of the service, once");
        assertNotNull(ModelCatalog.load(home, env::get).resolve(fake.onlyJob().fineTunedModel));
    }
}
