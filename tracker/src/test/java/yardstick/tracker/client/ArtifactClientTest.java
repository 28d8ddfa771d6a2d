package yardstick.tracker.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;
import yardstick.tracker.RunningTracker;

/** The Java artifact client against the tracker, the way Yardstick's magics use it. */
class ArtifactClientTest {
    private static RunningTracker tracker;
    private static MlflowClient mlflow;
    private static ArtifactClient artifacts;

    @BeforeAll
    static void start() {
        tracker = new RunningTracker();
        mlflow = new MlflowClient(tracker.uri());
        artifacts = ArtifactClient.fromEnvironment(Map.of("MLFLOW_TRACKING_URI", tracker.uri()));
    }

    @AfterAll
    static void stop() {
        mlflow.close();
        tracker.close();
    }

    @Test
    void uploadsADirectoryListsAndDownloadsItBack() throws Exception {
        String runId = mlflow.createRun().getRunId();
        String uri = artifacts.artifactUri(runId);
        assertEquals(mlflow.getRun(runId).getInfo().getArtifactUri(), uri);

        Path src = Files.createTempDirectory(tracker.dir, "src");
        Files.writeString(src.resolve("notes.txt"), "hello");
        Files.createDirectories(src.resolve("nested/deeper"));
        byte[] blob = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(blob);
        Files.write(src.resolve("nested/deeper/blob.bin"), blob);
        Files.writeString(src.resolve("nested/with space.csv"), "a,b\n1,2\n");

        artifacts.upload(uri, src, "outputs");
        artifacts.upload(uri, src.resolve("notes.txt"), null);

        assertEquals(List.of(new ArtifactFile("notes.txt", false, 5), new ArtifactFile("outputs", true, 0)), artifacts.list(uri, null));
        assertEquals(List.of(new ArtifactFile("outputs/nested/deeper", true, 0),
                new ArtifactFile("outputs/nested/with space.csv", false, 8)), artifacts.list(uri, "outputs/nested"));

        Path whole = artifacts.download(uri, "", tracker.dir.resolve("down-all"));
        assertEquals("hello", Files.readString(whole.resolve("notes.txt")));
        assertArrayEquals(blob, Files.readAllBytes(whole.resolve("outputs/nested/deeper/blob.bin")));
        Path one = artifacts.download(uri, "outputs/nested/with space.csv", tracker.dir.resolve("one.csv"));
        assertEquals("a,b\n1,2\n", Files.readString(one));
        Path sub = artifacts.download(uri, "outputs/nested", tracker.dir.resolve("down-sub"));
        assertArrayEquals(blob, Files.readAllBytes(sub.resolve("deeper/blob.bin")));

        // The tracking API's artifacts/list sees the same tree, relative to the run.
        // (The stock client's listArtifacts shells out to Python, so the endpoint is called through its raw GET.)
        var listed = yardstick.tracker.server.JsonCodec.MAPPER.readTree(mlflow.sendGet("artifacts/list?run_id=" + runId + "&path=outputs"));
        assertEquals(uri, listed.path("root_uri").asText());
        assertEquals("outputs/nested", listed.path("files").get(0).path("path").asText());
        assertEquals("outputs/notes.txt", listed.path("files").get(1).path("path").asText());
        assertEquals(5, listed.path("files").get(1).path("file_size").asLong());

        artifacts.delete(uri, "outputs/nested/deeper");
        assertEquals(1, artifacts.list(uri, "outputs/nested").size());
    }

    @Test
    void refusalsSurfaceAsExceptionsWithMlflowCodes() throws Exception {
        String uri = artifacts.artifactUri(mlflow.createRun().getRunId());
        ArtifactClientException missing = assertThrows(ArtifactClientException.class,
                () -> artifacts.download(uri, "absent.txt", tracker.dir.resolve("absent")));
        assertEquals("RESOURCE_DOES_NOT_EXIST", missing.errorCode());
        Path f = Files.writeString(Files.createTempFile(tracker.dir, "x", ".txt"), "x");
        ArtifactClientException traversal = assertThrows(ArtifactClientException.class, () -> artifacts.upload(uri, f, "../../.."));
        assertEquals("INVALID_PARAMETER_VALUE", traversal.errorCode());
        assertEquals(400, traversal.status());
        assertThrows(IllegalArgumentException.class, () -> artifacts.list("s3://bucket/run", null));
    }
}
