package yardstick.tracker.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mlflow.api.proto.ModelRegistry.CreateModelVersion;
import org.mlflow.api.proto.ModelRegistry.CreateRegisteredModel;
import org.mlflow.api.proto.ModelRegistry.GetModelVersionByAlias;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.ModelRegistry.SearchRegisteredModels;
import org.mlflow.api.proto.ModelRegistry.TransitionModelVersionStage;
import org.mlflow.api.proto.ModelRegistry.UpdateModelVersion;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.Message;
import org.mlflow_project.google.protobuf.util.JsonFormat;
import yardstick.tracker.Http;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.TestFiles;
import yardstick.tracker.TrackerConfig;
import yardstick.tracker.client.ArtifactClient;

/**
 * The Model Registry through the unmodified MLflow Java client (2.17.2). That client reads the registry
 * (get, latest versions, download URI, search) and downloads through Python's CLI; it has no calls that create,
 * alias, update or delete, so those go through its own raw {@code sendPost}/{@code sendPatch}, and DELETE (which it
 * cannot send at all) as MLflow's Python client sends it: a JSON body. Every answer is also parsed strictly
 * into MLflow's own protobuf messages, so a field name MLflow does not have fails the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractRegistryContractTest {
    private RunningTracker tracker;
    private MlflowClient client;
    private Path work;

    /** The tracker's configuration for this back end. */
    protected abstract TrackerConfig configure(TrackerConfig config);

    @BeforeAll
    void start() throws IOException {
        tracker = new RunningTracker(this::configure);
        client = new MlflowClient(tracker.uri());
        work = Files.createTempDirectory("yardstick-registry-contract-");
    }

    @AfterAll
    void stop() {
        client.close();
        tracker.close();
        TestFiles.deleteTree(work);
    }

    private static <B extends Message.Builder> B strict(String json, B builder) {
        try {
            JsonFormat.parser().merge(json, builder);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("Not a valid " + builder.getDescriptorForType().getFullName() + ": " + json, e);
        }
        return builder;
    }

    private static String json(Object... keyValues) {
        var node = JsonCodec.object();
        for (int i = 0; i < keyValues.length; i += 2) {
            node.putPOJO((String) keyValues[i], keyValues[i + 1]);
        }
        return node.toString();
    }

    /** DELETE with a JSON body, as MLflow's Python client sends it; the Java client has no DELETE. */
    private Http.Answer delete(String endpoint, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(tracker.uri() + "/api/2.0/mlflow/" + endpoint))
                .header("Content-Type", "application/json").method("DELETE", HttpRequest.BodyPublishers.ofString(body)));
    }

    private static MlflowHttpException httpError(int status, String code, org.junit.jupiter.api.function.Executable call) {
        MlflowHttpException e = assertThrows(MlflowHttpException.class, call);
        assertEquals(status, e.getStatusCode(), e.getBodyMessage());
        assertTrue(e.getBodyMessage().contains("\"error_code\":\"" + code + "\""), e.getBodyMessage());
        return e;
    }

    private String createModel(String name) {
        String answer = client.sendPost("registered-models/create", json("name", name, "description", "made by the contract test",
                "tags", List.of(Map.of("key", "team", "value", "eval"))));
        RegisteredModel m = strict(answer, CreateRegisteredModel.Response.newBuilder()).getRegisteredModel();
        assertEquals(name, m.getName());
        return answer;
    }

    private ModelVersion createVersion(String name, String source, String runId) {
        String answer = client.sendPost("model-versions/create", json("name", name, "source", source, "run_id", runId));
        return strict(answer, CreateModelVersion.Response.newBuilder()).getModelVersion();
    }

    /** A run with a small model directory logged under {@code model/}. */
    private String runWithModel(Map<String, byte[]> files) throws IOException {
        String runId = client.createRun().getRunId();
        Path local = Files.createTempDirectory(work, "model-");
        for (var f : files.entrySet()) {
            Path p = local.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        new ArtifactClient(URI.create(tracker.uri())).upload(client.getRun(runId).getInfo().getArtifactUri(), local, "model");
        return runId;
    }

    private static Map<String, byte[]> modelFiles() {
        byte[] weights = new byte[70_000];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (i * 31 + 7);
        }
        Map<String, byte[]> files = new TreeMap<>();
        files.put("MLmodel", "flavors:\n  python_function: {}\n".getBytes(StandardCharsets.UTF_8));
        files.put("weights.bin", weights);
        files.put("tokenizer/vocab.txt", "a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private static Map<String, byte[]> readTree(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k), actual.get(k), k);
        }
    }

    @Test
    void registerReadAliasTransitionAndDelete() throws IOException {
        Map<String, byte[]> files = modelFiles();
        String runId = runWithModel(files);
        createModel("contract-model");
        RegisteredModel got = client.getRegisteredModel("contract-model");
        assertEquals("made by the contract test", got.getDescription());
        assertEquals("eval", got.getTags(0).getValue());

        ModelVersion v1 = createVersion("contract-model", "runs:/" + runId + "/model", runId);
        assertEquals("1", v1.getVersion());
        assertEquals(ModelVersionStatus.READY, v1.getStatus());
        assertEquals("None", v1.getCurrentStage());
        assertEquals("runs:/" + runId + "/model", v1.getSource());
        ModelVersion v2 = createVersion("contract-model", "runs:/" + runId + "/model", runId);
        assertEquals("2", v2.getVersion());
        client.sendPost("model-versions/set-tag", json("name", "contract-model", "version", "2", "key", "eval.score", "value", "0.91"));

        List<ModelVersion> latest = client.getLatestVersions("contract-model");
        assertEquals(List.of("2"), latest.stream().map(ModelVersion::getVersion).toList());
        ModelVersion fetched = client.getModelVersion("contract-model", "2");
        assertEquals(runId, fetched.getRunId());
        assertEquals("0.91", fetched.getTags(0).getValue());
        String artifactUri = client.getRun(runId).getInfo().getArtifactUri();
        assertEquals(artifactUri + "/model", client.getModelVersionDownloadUri("contract-model", "2"));
        assertTrue(artifactUri.startsWith("mlflow-artifacts:/"), artifactUri);

        // Yardstick's own Java path to the files, without Python.
        Path viaArtifactClient = new ArtifactClient(URI.create(tracker.uri()))
                .downloadModelVersion("contract-model", "2", work.resolve("via-artifact-client"));
        assertSameFiles(files, readTree(viaArtifactClient));

        client.sendPost("registered-models/alias", json("name", "contract-model", "alias", "champion", "version", "1"));
        String byAlias = client.sendGet("registered-models/alias?name=contract-model&alias=champion");
        ModelVersion champion = strict(byAlias, GetModelVersionByAlias.Response.newBuilder()).getModelVersion();
        assertEquals("1", champion.getVersion());
        assertEquals(List.of("champion"), champion.getAliasesList());
        assertEquals("champion", client.getRegisteredModel("contract-model").getAliases(0).getAlias());
        assertEquals("1", client.getRegisteredModel("contract-model").getAliases(0).getVersion());
        Http.Answer unaliased = delete("registered-models/alias", json("name", "contract-model", "alias", "champion"));
        assertEquals(200, unaliased.status(), unaliased.body());
        httpError(400, "INVALID_PARAMETER_VALUE", () -> client.sendGet("registered-models/alias?name=contract-model&alias=champion"));
        assertTrue(client.getModelVersion("contract-model", "1").getAliasesList().isEmpty());

        String updated = client.sendPatch("model-versions/update", json("name", "contract-model", "version", "1",
                "description", "baseline"));
        assertEquals("baseline", strict(updated, UpdateModelVersion.Response.newBuilder()).getModelVersion().getDescription());
        String moved = client.sendPost("model-versions/transition-stage", json("name", "contract-model", "version", "1",
                "stage", "Production", "archive_existing_versions", false));
        assertEquals("Production", strict(moved, TransitionModelVersionStage.Response.newBuilder()).getModelVersion().getCurrentStage());
        client.sendPost("model-versions/transition-stage", json("name", "contract-model", "version", "2",
                "stage", "Production", "archive_existing_versions", true));
        assertEquals("Archived", client.getModelVersion("contract-model", "1").getCurrentStage());
        assertEquals("baseline", client.getModelVersion("contract-model", "1").getDescription());
        assertEquals(List.of("2"), client.getLatestVersions("contract-model", List.of("Production")).stream()
                .map(ModelVersion::getVersion).toList());

        ModelVersionsPage byName = client.searchModelVersions("name='contract-model'");
        assertEquals(List.of("2", "1"), byName.getItems().stream().map(ModelVersion::getVersion).toList());
        assertEquals(2, client.searchModelVersions("run_id='" + runId + "'").getItems().size());
        String models = client.sendGet("registered-models/search?filter=" + java.net.URLEncoder.encode("name LIKE 'contract-%'",
                StandardCharsets.UTF_8));
        assertEquals(1, strict(models, SearchRegisteredModels.Response.newBuilder()).getRegisteredModelsCount());

        Http.Answer deletedVersion = delete("model-versions/delete", json("name", "contract-model", "version", "1"));
        assertEquals(200, deletedVersion.status(), deletedVersion.body());
        httpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getModelVersion("contract-model", "1"));
        assertEquals(List.of("2"), client.searchModelVersions("name='contract-model'").getItems().stream()
                .map(ModelVersion::getVersion).toList());
        Http.Answer deletedModel = delete("registered-models/delete", json("name", "contract-model"));
        assertEquals(200, deletedModel.status(), deletedModel.body());
        httpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getRegisteredModel("contract-model"));
        assertTrue(client.searchModelVersions("name='contract-model'").getItems().isEmpty());
    }

    @Test
    void downloadModelVersionThroughTheJavaClientsCli() throws Exception {
        Map<String, byte[]> files = modelFiles();
        String runId = runWithModel(files);
        createModel("download-model");
        assertEquals("1", createVersion("download-model", "runs:/" + runId + "/model", runId).getVersion());

        Path cli = work.resolve("python-mlflow-stand-in.sh");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(cli, "#!/bin/sh\nexec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + MlflowArtifactsCliStandIn.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwx------"));
        Path log = work.resolve("cli-calls.log");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                JavaClientModelDownload.class.getName(), tracker.uri(), "download-model", "1").redirectErrorStream(true);
        pb.environment().put("MLFLOW_PYTHON_EXECUTABLE", cli.toString());
        pb.environment().put("YARDSTICK_CLI_LOG", log.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), output);
        // The unmodified client checks for the CLI, then asks it to download models:/NAME/VERSION.
        assertEquals(List.of("-m mlflow.store.artifact.cli --help",
                "-m mlflow.store.artifact.cli download --artifact-uri models:/download-model/1"), Files.readAllLines(log));
        String downloaded = output.lines().filter(l -> l.startsWith("downloaded=")).findFirst()
                .orElseThrow(() -> new AssertionError(output)).substring("downloaded=".length());
        Path dir = Path.of(downloaded);
        try {
            assertSameFiles(files, readTree(dir));
        } finally {
            TestFiles.deleteTree(dir);
        }
    }

    @Test
    void badInputGetsMlflowsErrors() {
        createModel("errors-model");
        httpError(400, "RESOURCE_ALREADY_EXISTS", () -> client.sendPost("registered-models/create", json("name", "errors-model")));
        httpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getRegisteredModel("no-such-model"));
        httpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getModelVersion("errors-model", "99"));
        httpError(400, "INVALID_PARAMETER_VALUE", () -> client.getModelVersion("errors-model", "ninety-nine"));
        httpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getModelVersionDownloadUri("errors-model", "99"));
        httpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getLatestVersions("no-such-model"));
        // MLflow answers an unknown alias with INVALID_PARAMETER_VALUE, not RESOURCE_DOES_NOT_EXIST.
        MlflowHttpException alias = httpError(400, "INVALID_PARAMETER_VALUE",
                () -> client.sendGet("registered-models/alias?name=errors-model&alias=nobody"));
        assertTrue(alias.getBodyMessage().contains("nobody"), alias.getBodyMessage());
        MlflowHttpException noName = httpError(400, "INVALID_PARAMETER_VALUE",
                () -> client.sendPost("registered-models/create", "{}"));
        assertTrue(noName.getBodyMessage().contains("'name'"), noName.getBodyMessage());
        MlflowHttpException noSource = httpError(400, "INVALID_PARAMETER_VALUE",
                () -> client.sendPost("model-versions/create", json("name", "errors-model")));
        assertTrue(noSource.getBodyMessage().contains("'source'"), noSource.getBodyMessage());
        httpError(400, "INVALID_PARAMETER_VALUE", () -> client.sendPost("model-versions/create",
                json("name", "errors-model", "source", "/etc/passwd")));
        httpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.sendPost("model-versions/create",
                json("name", "no-such-model", "source", "s3://bucket/m")));
        httpError(400, "INVALID_PARAMETER_VALUE", () -> client.sendPost("model-versions/transition-stage",
                json("name", "errors-model", "version", "1", "stage", "Gold")));
        httpError(400, "INVALID_PARAMETER_VALUE", () -> client.sendPost("registered-models/alias",
                json("name", "errors-model", "alias", "latest", "version", "1")));
        httpError(400, "INVALID_PARAMETER_VALUE", () -> client.searchModelVersions("stage = 'Production'"));
        // Each endpoint answers only to MLflow's method for it; any other is 405, as HTTP has it.
        httpError(405, "BAD_REQUEST", () -> client.sendPost("registered-models/delete", json("name", "errors-model")));
        httpError(405, "BAD_REQUEST", () -> client.sendGet("registered-models/create?name=x"));
        assertEquals("errors-model", client.getRegisteredModel("errors-model").getName(), "nothing was deleted");
        assertEquals(0, client.searchModelVersions("name='errors-model'").getItems().size(), "no version was made");
    }

    /** The registry's JSON answers carry exactly MLflow's fields: search results parse strictly too. */
    @Test
    void searchAnswersParseAsMlflowMessages() throws IOException {
        String runId = runWithModel(Map.of("MLmodel", new byte[] {1}));
        createModel("strict-model");
        createVersion("strict-model", "runs:/" + runId + "/model", runId);
        client.sendPost("registered-models/alias", json("name", "strict-model", "alias", "prod", "version", "1"));
        List<String> answers = new ArrayList<>();
        answers.add(client.sendGet("registered-models/search?max_results=10"));
        answers.add(client.sendGet("registered-models/get?name=strict-model"));
        for (String a : answers) {
            JsonNode n = JsonCodec.MAPPER.readTree(a);
            assertTrue(n.has("registered_models") || n.has("registered_model"), a);
        }
        RegisteredModel m = strict(answers.get(1), org.mlflow.api.proto.ModelRegistry.GetRegisteredModel.Response.newBuilder())
                .getRegisteredModel();
        assertEquals("1", m.getLatestVersions(0).getVersion());
        assertEquals(List.of("prod"), m.getLatestVersions(0).getAliasesList());
        strict(answers.get(0), SearchRegisteredModels.Response.newBuilder());
        strict(client.sendGet("model-versions/search?filter=" + java.net.URLEncoder.encode("name='strict-model'",
                StandardCharsets.UTF_8)), org.mlflow.api.proto.ModelRegistry.SearchModelVersions.Response.newBuilder());
    }
}
