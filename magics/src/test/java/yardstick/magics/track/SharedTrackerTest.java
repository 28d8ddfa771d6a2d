package yardstick.magics.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import yardstick.kernel.cli.KernelProcess;
import yardstick.kernel.protocol.KernelClient;
import yardstick.kernel.protocol.Message;
import yardstick.tracker.home.HomeTracker;
import yardstick.tracker.home.TrackerFile;

/**
 * Real kernels, as Jupyter starts them, share their home's tracker: one process at one URL, started by whichever
 * kernel came first, still serving after every kernel has exited, in YARDSTICK_HOME and never in ~/.yardstick.
 */
class SharedTrackerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern ANNOUNCED = Pattern.compile("Yardstick tracker: (http://\\S+?)/ ");

    @TempDir
    Path dir;
    private Path home;
    private Path userHome;

    @BeforeEach
    void paths() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        userHome = Files.createDirectories(dir.resolve("user"));
    }

    @AfterEach
    void stopTracker() {
        HomeTracker.stop(home);
    }

    @Test
    void kernelsStartingAtOnceShareOneTrackerThatOutlivesThem() throws Exception {
        String first;
        try (KernelProcess a = kernel("a"); KernelProcess b = kernel("b")) {
            a.awaitIOPub(TIMEOUT);
            b.awaitIOPub(TIMEOUT);
            // Both kernels ask for the tracker at the same moment: neither finds one running.
            var fromA = CompletableFuture.supplyAsync(() -> execute(a, "%experiment"));
            var fromB = CompletableFuture.supplyAsync(() -> execute(b, "%experiment"));
            String outA = fromA.join(), outB = fromB.join();
            first = announced(outA);
            assertEquals(first, announced(outB), outB);
            assertTrue(outA.contains("experiment 'cwd' on " + first + "/"), outA);
            TrackerFile file = TrackerFile.read(home).orElseThrow();
            assertEquals(first, file.url());
            assertTrue(ProcessHandle.of(file.pid()).isPresent(), "the tracker is a process of its own");

            assertTrue(execute(a, "%run start probe").contains("started run 'probe'"));
            execute(a, "%run end");
            a.shutdown();
            b.shutdown();
        }
        // Every kernel has exited; the history is still there to browse, at the same URL.
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(first + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("cwd"), "the experiment is listed");
        }
        try (MlflowClient client = new MlflowClient(first)) {
            String experimentId = client.getExperimentByName("cwd").orElseThrow().getExperimentId();
            List<String> names = client.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 10).getItems().stream()
                    .map(r -> r.getInfo().getRunName()).toList();
            assertTrue(names.contains("probe"), names.toString());
        }
        assertFalse(Files.exists(userHome.resolve(".yardstick")), "nothing in the user's home");
        assertTrue(Files.isRegularFile(home.resolve("tracker.db")));

        // A kernel started later finds the same tracker rather than starting its own.
        String instance = TrackerFile.read(home).orElseThrow().instance();
        try (KernelProcess c = kernel("c")) {
            c.awaitIOPub(TIMEOUT);
            assertEquals(first, announced(execute(c, "%experiment")));
            c.shutdown();
        }
        assertEquals(instance, TrackerFile.read(home).orElseThrow().instance());
    }

    @Test
    void aKernelReplacesTheTrackerOfAStaleFile() throws Exception {
        URI before = HomeTracker.ensure(home);
        TrackerFile stale = TrackerFile.read(home).orElseThrow();
        ProcessHandle.of(stale.pid()).orElseThrow().destroyForcibly();
        ProcessHandle.of(stale.pid()).ifPresent(p -> p.onExit().join());
        try (KernelProcess k = kernel("k")) {
            k.awaitIOPub(TIMEOUT);
            String url = announced(execute(k, "%experiment"));
            TrackerFile now = TrackerFile.read(home).orElseThrow();
            assertEquals(url, now.url());
            assertNotEquals(stale.instance(), now.instance());
            assertEquals(before.getPort(), URI.create(url).getPort(), "the port a bookmark knows");
            k.shutdown();
        }
    }

    private KernelProcess kernel(String name) throws Exception {
        List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "yardstick.kernel.cli.Main", "kernel", "-f", "{connection_file}");
        // The shared tracker, not this suite's in-process one; no tracking URI, as on a fresh machine.
        Map<String, String> env = Map.of("YARDSTICK_HOME", home.toString(), "HOME", userHome.toString(),
                "YARDSTICK_TRACKER_MODE", "shared", "MLFLOW_TRACKING_URI", "");
        return KernelProcess.start(name, argv, env, Files.createDirectories(dir.resolve("kernel-" + name)));
    }

    /** Runs a cell and returns what it printed. */
    private static String execute(KernelProcess k, String code) {
        try {
            KernelClient.Exchange x = k.client().request("execute_request", KernelProcess.execute(code), TIMEOUT);
            StringBuilder out = new StringBuilder();
            for (Message m : x.iopub()) {
                if (m.type().equals("stream")) out.append(m.content().path("text").asText());
                if (m.type().equals("error")) out.append(m.content().path("evalue").asText());
            }
            assertEquals("ok", x.reply().content().path("status").asText(), out.toString());
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String announced(String output) {
        Matcher m = ANNOUNCED.matcher(output);
        assertTrue(m.find(), output);
        return m.group(1);
    }
}
