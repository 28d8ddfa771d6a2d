package yardstick.magics.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import yardstick.magics.YardstickHome;
import yardstick.magics.llm.Llm;
import yardstick.magics.llm.Model;
import yardstick.magics.llm.local.BundledModel;
import yardstick.magics.llm.local.GptModel;
import yardstick.magics.llm.local.Weights;
import yardstick.tracker.TrackerConfig;
import yardstick.tracker.TrackerServer;
import yardstick.tracker.client.ArtifactClient;
import yardstick.tracker.client.ArtifactFile;

/**
 * The example PyTorch trainer ({@code notebooks/trainers/lora_finetune.py}) as a notebook's job runs it: a real
 * Python process given a run by MLflow's environment contract, logging to the embedded tracker, fine-tuning the
 * bundled model; its merged weights are then served by Yardstick's own Java inference.
 */
class ExampleTrainerTest {
    static final int STEPS = 30, LOG_EVERY = 5, BATCH = 8;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    static Path repo, python, base, data, out;
    static TrackerServer server;
    static MlflowClient mlflow;
    static String runId;
    static Result trained;

    record Result(int exit, String stdout, String stderr) {
        String both() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        System.setProperty(YardstickHome.PROPERTY, home.toString());
        repo = repositoryRoot();
        python = pythonWithTorch();
        base = BundledModel.file(home);
        data = repo.resolve("notebooks/trainers/yardstick-qa.jsonl");
        server = TrackerServer.start(TrackerConfig.defaults().withPort(0).withStore("sqlite:" + home.resolve("tracker.db"))
                .withArtifactRoot(home.resolve("artifacts")));
        mlflow = new MlflowClient(server.uri().toString());
        String experiment = mlflow.createExperiment("example-trainer");
        runId = mlflow.createRun(experiment).getRunId();
        out = home.resolve("job/out");
        trained = train(Map.of("MLFLOW_TRACKING_URI", server.uri().toString(), "MLFLOW_RUN_ID", runId,
                "MLFLOW_EXPERIMENT_ID", experiment), "--data", data.toString(), "--out", out.toString());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        System.clearProperty(YardstickHome.PROPERTY);
    }

    @Test
    void theBundledWeightsAreExtractedOnceAndReused() throws IOException {
        assertEquals(home.resolve("models").resolve(BundledModel.FILE_NAME), base);
        byte[] resource;
        try (var in = BundledModel.open()) {
            resource = in.readAllBytes();
        }
        assertArrayEquals(resource, Files.readAllBytes(base));
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(base, old);
        assertEquals(base, BundledModel.file(home));
        assertEquals(old, Files.getLastModifiedTime(base), "an intact copy is reused, not rewritten");

        Files.write(base, Arrays.copyOf(resource, resource.length - 1));
        assertEquals(base, BundledModel.file(home));
        assertArrayEquals(resource, Files.readAllBytes(base), "a damaged copy is replaced");
        try (var left = Files.list(base.getParent())) {
            assertEquals(List.of(base), left.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void trainingLogsFallingLossLrAndParamsToTheRun() throws Exception {
        assertEquals(0, trained.exit(), trained.both());
        List<Service.Metric> loss = mlflow.getMetricHistory(runId, "loss");
        List<Long> logged = new ArrayList<>();
        for (int s = LOG_EVERY; s <= STEPS; s += LOG_EVERY) logged.add((long) s);
        assertEquals(logged, loss.stream().map(Service.Metric::getStep).sorted().toList(), "one loss point per logged step");
        double first = loss.stream().filter(m -> m.getStep() == LOG_EVERY).findFirst().orElseThrow().getValue();
        double last = loss.stream().filter(m -> m.getStep() == STEPS).findFirst().orElseThrow().getValue();
        assertTrue(last < 0.8 * first, "loss " + first + " -> " + last);
        List<Service.Metric> lr = mlflow.getMetricHistory(runId, "lr");
        assertEquals(logged.size(), lr.size());
        assertTrue(lr.stream().allMatch(m -> m.getValue() > 0 && m.getValue() <= 3e-3), lr.toString());
        assertEquals(logged.size(), mlflow.getMetricHistory(runId, "tokens_per_s").size());
        for (String printed : List.of("step 5/30 loss ", "step 30/30 loss ")) {
            assertTrue(trained.stdout().contains(printed), trained.stdout());
        }

        Map<String, String> params = mlflow.getRun(runId).getData().getParamsList().stream()
                .collect(Collectors.toMap(Service.Param::getKey, Service.Param::getValue));
        assertEquals(BundledModel.FILE_NAME, params.get("base"));
        assertEquals("8", params.get("rank"));
        assertEquals("16.0", params.get("alpha"));
        assertEquals("0.003", params.get("lr"));
        assertEquals(String.valueOf(STEPS), params.get("max_steps"));
        assertEquals(String.valueOf(STEPS), params.get("total_steps"));
        assertEquals(String.valueOf(BATCH), params.get("batch"));
        assertTrue(Set.of("cpu", "cuda").contains(params.get("device")), params.toString());
        assertEquals("sha256:" + sha256(base), params.get("base_digest"));
    }

    @Test
    void adapterAndMergedWeightsAreRunArtifactsAsWritten() throws Exception {
        assertEquals(0, trained.exit(), trained.both());
        ArtifactClient artifacts = new ArtifactClient(server.uri());
        String uri = mlflow.getRun(runId).getInfo().getArtifactUri();
        List<String> names = artifacts.list(uri, null).stream().map(ArtifactFile::path).sorted().toList();
        assertTrue(names.containsAll(List.of("adapter.ysw", "merged.ysw")), names.toString());
        for (String name : List.of("adapter.ysw", "merged.ysw")) {
            Path copy = artifacts.download(uri, name, home.resolve("downloaded").resolve(name));
            assertArrayEquals(Files.readAllBytes(out.resolve(name)), Files.readAllBytes(copy), name);
        }

        Weights adapter = Weights.read(out.resolve("adapter.ysw"));
        assertEquals("lora", adapter.kind());
        assertEquals(8, adapter.meta().path("rank").asInt());
        assertEquals(16.0, adapter.meta().path("alpha").asDouble());
        assertEquals("sha256:" + sha256(base), adapter.meta().path("base_digest").asText());
        assertEquals(List.of("qkv", "proj", "fc", "out"), JSON.convertValue(adapter.meta().path("targets"), List.class));
        assertArrayEquals(new int[] {8, 144}, adapter.tensors().get("l0.qkv.lora_a").shape());
        assertArrayEquals(new int[] {432, 8}, adapter.tensors().get("l0.qkv.lora_b").shape());
        assertEquals(4 * 4 * 2, adapter.tensors().size(), "only the LoRA tensors: 4 layers x 4 targets x A, B");
    }

    @Test
    void javaInferenceOnTheMergedFileMatchesTorch() throws Exception {
        assertEquals(0, trained.exit(), trained.both());
        JsonNode probe = JSON.readTree(out.resolve("probe.json").toFile());
        assertTrue(probe.path("merge_max_abs_diff").asDouble(1) <= 1e-4, "merged vs base+adapter: " + probe);
        Weights merged = Weights.read(out.resolve("merged.ysw"));
        assertEquals("gpt", merged.kind());
        GptModel model = new GptModel(merged);
        GptModel.Generation g = model.start();
        float[] logits = null;
        for (JsonNode b : probe.path("bytes")) logits = g.feed(b.asInt());
        assertEquals(256, probe.path("logits").size());
        double worst = 0;
        for (int i = 0; i < 256; i++) worst = Math.max(worst, Math.abs(logits[i] - probe.path("logits").get(i).asDouble()));
        assertTrue(worst < 1e-3, "Java vs torch logits differ by " + worst);

        // The fine-tune changed the weights it targets, and only those.
        Weights original = Weights.read(base);
        assertTrue(maxDiff(original.get("l0.qkv.w"), merged.get("l0.qkv.w")) > 1e-4);
        assertEquals(0.0, maxDiff(original.get("tok"), merged.get("tok")));
        assertEquals(0.0, maxDiff(original.get("l3.ln2.g"), merged.get("l3.ln2.g")));
    }

    @Test
    void theMergedModelPredictsTheResponsesBetterThanTheBase() throws Exception {
        assertEquals(0, trained.exit(), trained.both());
        List<String[]> pairs = new ArrayList<>();
        for (String line : Files.readAllLines(data)) {
            JsonNode n = JSON.readTree(line);
            pairs.add(new String[] {n.path("prompt").asText(), n.path("response").asText()});
        }
        // Likelihood of each response after its prompt, the bytes the local provider feeds: a graded, robust measure.
        GptModel before = new GptModel(Weights.read(base)), after = new GptModel(Weights.read(out.resolve("merged.ysw")));
        double nllBefore = 0, nllAfter = 0;
        for (String[] p : pairs.subList(0, 10)) { // ten: Java inference is quick, not free
            nllBefore += responseLoss(before, p[0], p[1]);
            nllAfter += responseLoss(after, p[0], p[1]);
        }
        assertTrue(nllAfter < 0.8 * nllBefore, "response loss " + nllBefore / 10 + " -> " + nllAfter / 10);
    }

    @Test
    void promptedThroughTheLlmApiTheTunedModelGivesTheTrainedAnswers() throws Exception {
        // Three of the example pairs, trained until learned: the local provider must then answer them as trained.
        List<String> lines = Files.readAllLines(data).subList(0, 3);
        Path three = home.resolve("three.jsonl");
        Files.write(three, lines);
        Path tunedDir = home.resolve("three-out");
        Result r = train(Map.of(), "--data", three.toString(), "--out", tunedDir.toString(), "--max-steps", "20", "--batch",
                "6", "--lr", "5e-3");
        assertEquals(0, r.exit(), r.both());
        Model before = Llm.model("local:" + base).withTemperature(0).withMaxTokens(48).withoutCache();
        Model after = Llm.model("local:" + tunedDir.resolve("merged.ysw")).withTemperature(0).withMaxTokens(48).withoutCache();
        for (String line : lines) {
            JsonNode pair = JSON.readTree(line);
            String prompt = pair.path("prompt").asText(), expected = pair.path("response").asText() + "\n\n";
            String was = before.complete(prompt).text(), is = after.complete(prompt).text();
            assertEquals(expected, is, "the tuned model's answer to " + prompt);
            assertTrue(commonPrefix(was, expected) < expected.length() / 2, "the base already knew: " + was);
        }
    }

    @Test
    void aMalformedDataFileExitsWithTheLineNamed() throws Exception {
        Path bad = home.resolve("bad.jsonl");
        Files.writeString(bad, "{\"prompt\": \"Q: a\\nA:\", \"response\": \" b\"}\n\n{\"prompt\": \"Q: c\", \"response\": \n");
        Result r = train(Map.of(), "--data", bad.toString(), "--out", home.resolve("bad-out").toString());
        assertEquals(1, r.exit(), r.both());
        assertTrue(r.stderr().contains(bad + " line 3: not valid JSON"), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), "one line: " + r.stderr());

        Path missing = home.resolve("missing.jsonl");
        Files.writeString(missing, "{\"prompt\": \"Q: a\\nA:\"}\n");
        r = train(Map.of(), "--data", missing.toString(), "--out", home.resolve("bad-out").toString());
        assertEquals(1, r.exit(), r.both());
        assertTrue(r.stderr().contains(missing + " line 1: no 'response' field"), r.stderr());

        Path notWeights = home.resolve("not-weights.ysw");
        Files.writeString(notWeights, "hello");
        r = run(List.of("--base", notWeights.toString(), "--data", data.toString()), Map.of());
        assertEquals(1, r.exit(), r.both());
        assertTrue(r.stderr().contains("is not a Yardstick weights file"), r.stderr());

        r = run(List.of("--base", base.toString(), "--data", data.toString(), "--rank", "0"), Map.of());
        assertEquals(2, r.exit(), r.both());
        assertTrue(r.stderr().contains("--rank must be at least 1"), r.stderr());
    }

    @Test
    void anUnreachableTrackerNeitherStopsTrainingNorLosesAMetric() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path offline = home.resolve("offline");
        Result r = train(Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + port, "MLFLOW_RUN_ID", runId,
                "MLFLOW_EXPERIMENT_ID", "1"), "--data", data.toString(), "--out", offline.toString(), "--max-steps", "6",
                "--log-every", "2", "--batch", "4");
        assertEquals(0, r.exit(), r.both());
        assertTrue(r.stderr().contains("127.0.0.1:" + port + " is unreachable"), r.stderr());
        Map<String, List<Long>> steps = new LinkedHashMap<>();
        for (String line : Files.readAllLines(offline.resolve("metrics.jsonl"))) {
            JsonNode m = JSON.readTree(line);
            steps.computeIfAbsent(m.path("key").asText(), k -> new ArrayList<>()).add(m.path("step").asLong());
        }
        List<Long> every = List.of(2L, 4L, 6L);
        assertEquals(Map.of("loss", every, "lr", every, "tokens_per_s", every), steps);
        assertTrue(Files.isRegularFile(offline.resolve("merged.ysw")), "results are written without a tracker");
    }

    // --- helpers

    static Result train(Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--base", base.toString(), "--max-steps", String.valueOf(STEPS),
                "--log-every", String.valueOf(LOG_EVERY), "--batch", String.valueOf(BATCH), "--lr", "3e-3", "--seed", "1"));
        // Later options win, so a test's own --max-steps replaces the default above.
        all.addAll(List.of(args));
        return run(all, env);
    }

    static Result run(List<String> args, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python.toString(), repo.resolve("notebooks/trainers/lora_finetune.py").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_"));
        pb.environment().putAll(env);
        Path stdout = Files.createTempFile(home, "stdout", ".txt"), stderr = Files.createTempFile(home, "stderr", ".txt");
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the trainer did not finish in 300 s:\n" + Files.readString(stdout) + Files.readString(stderr));
        }
        return new Result(p.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    /** The repository root: the module's folder (magics/) or any folder above it holding the trainer. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("notebooks/trainers/lora_finetune.py"))) return p;
        }
        throw new IllegalStateException("notebooks/trainers/lora_finetune.py not found above " + Path.of("").toAbsolutePath());
    }

    /** The first Python 3 that imports torch: -Dyardstick.python, $YARDSTICK_PYTHON, python3 on PATH, /usr/bin/python3. */
    static Path pythonWithTorch() throws Exception {
        List<String> candidates = new ArrayList<>();
        if (System.getProperty("yardstick.python") != null) candidates.add(System.getProperty("yardstick.python"));
        if (System.getenv("YARDSTICK_PYTHON") != null) candidates.add(System.getenv("YARDSTICK_PYTHON"));
        candidates.addAll(List.of("python3", "/usr/bin/python3"));
        StringBuilder tried = new StringBuilder();
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import torch").redirectErrorStream(true).start();
                String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) return Path.of(c);
                tried.append("\n  ").append(c).append(": ").append(said.lines().reduce((a, b) -> b).orElse("exit " + p.exitValue()));
            } catch (IOException e) {
                tried.append("\n  ").append(c).append(": not found");
            }
        }
        fail("the example trainer needs python3 with PyTorch: install python3-torch (Debian: apt-get install python3-torch;"
                + " CI installs it) or point -Dyardstick.python at a Python that has torch. Tried:" + tried);
        return null;
    }

    /** Mean cross-entropy (nats) of the response's bytes after the prompt's, as the model predicts them one by one. */
    static double responseLoss(GptModel m, String prompt, String response) {
        byte[] p = prompt.getBytes(StandardCharsets.UTF_8), r = (response + "\n\n").getBytes(StandardCharsets.UTF_8);
        GptModel.Generation g = m.start();
        float[] logits = null;
        for (byte b : p) logits = g.feed(b & 0xff);
        double total = 0;
        for (byte b : r) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float v : logits) max = Math.max(max, v);
            for (float v : logits) sum += Math.exp(v - max);
            total += Math.log(sum) + max - logits[b & 0xff];
            logits = g.feed(b & 0xff);
        }
        return total / r.length;
    }

    static int commonPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) n++;
        return n;
    }

    static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
