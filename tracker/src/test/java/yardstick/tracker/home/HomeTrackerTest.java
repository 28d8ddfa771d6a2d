package yardstick.tracker.home;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import yardstick.tracker.TestFiles;

/** The home's one tracker, as real processes: found again, replaced when stale, one for concurrent starts, gone with its home. */
class HomeTrackerTest {
    private Path home;

    @BeforeEach
    void makeHome() throws Exception {
        home = Files.createTempDirectory("yardstick-home-");
    }

    @AfterEach
    void stopAndDelete() {
        HomeTracker.stop(home);
        TestFiles.deleteTree(home);
    }

    @Test
    void aSecondCallFindsTheRunningTrackerAndStopEndsIt() throws Exception {
        URI uri = HomeTracker.ensure(home);
        TrackerFile file = TrackerFile.read(home).orElseThrow();
        assertEquals(uri.toString(), file.url());
        assertEquals(home.toRealPath().toString(), Path.of(file.home()).toRealPath().toString());
        assertEquals("sqlite:" + home.resolve("tracker.db"), file.store());
        assertNotEquals(ProcessHandle.current().pid(), file.pid());
        ProcessHandle process = ProcessHandle.of(file.pid()).orElseThrow();
        assertTrue(Files.isRegularFile(home.resolve("tracker.db")), "the store is in the home");
        assertEquals(200, get(uri + "/api/2.0/mlflow/experiments/get?experiment_id=0").statusCode());

        assertEquals(uri, HomeTracker.ensure(home));
        assertEquals(file, TrackerFile.read(home).orElseThrow(), "the same tracker, not a new one");

        assertTrue(HomeTracker.stop(home));
        assertTrue(process.onExit().get(15, TimeUnit.SECONDS) != null);
        assertTrue(HomeTracker.running(home).isEmpty());
        assertFalse(HomeTracker.stop(home), "nothing left to stop");
        // The next one comes back on the port the home's file names.
        assertEquals(uri.getPort(), HomeTracker.ensure(home).getPort());
    }

    @Test
    void aFileOfADeadTrackerOrOfAPortNowServedByAnotherServerIsReplaced() throws Exception {
        URI first = HomeTracker.ensure(home);
        TrackerFile killed = TrackerFile.read(home).orElseThrow();
        ProcessHandle.of(killed.pid()).orElseThrow().destroyForcibly();
        ProcessHandle.of(killed.pid()).ifPresent(p -> p.onExit().join());
        assertTrue(Files.exists(TrackerFile.path(home)), "SIGKILL leaves the file behind");

        URI second = HomeTracker.ensure(home);
        TrackerFile replaced = TrackerFile.read(home).orElseThrow();
        assertNotEquals(killed.instance(), replaced.instance());
        assertNotEquals(killed.pid(), replaced.pid());
        // The new tracker prefers the port its home had, so bookmarks and running jobs find it again.
        assertEquals(first.getPort(), second.getPort());
        HomeTracker.stop(home);

        // A server that is not this home's tracker answers on the file's port, and the file's pid is alive (ours).
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/health", ex -> {
            ex.sendResponseHeaders(200, 2);
            ex.getResponseBody().write("OK".getBytes(StandardCharsets.US_ASCII));
            ex.close();
        });
        other.start();
        try {
            String foreign = "http://127.0.0.1:" + other.getAddress().getPort();
            new TrackerFile(foreign, ProcessHandle.current().pid(), home.toString(), "sqlite:x", "not-running").write(home);
            URI third = HomeTracker.ensure(home);
            assertNotEquals(foreign, third.toString());
            assertEquals(third.toString(), TrackerFile.read(home).orElseThrow().url());
            assertTrue(ProcessHandle.current().isAlive(), "a stale file's pid is never signalled");
        } finally {
            other.stop(0);
        }
        // A file that is not JSON at all is stale too.
        HomeTracker.stop(home);
        Files.writeString(TrackerFile.path(home), "garbage");
        assertTrue(HomeTracker.ensure(home).getPort() > 0);
    }

    @Test
    void processesStartingAtOnceEndUpWithOneTracker() throws Exception {
        List<Process> starts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            starts.add(new ProcessBuilder(javaCommand("start")).redirectErrorStream(true).start());
        }
        List<String> said = new ArrayList<>();
        for (Process p : starts) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            said.add(out.lines().filter(l -> l.startsWith("Yardstick tracker: ")).findFirst().orElse(out));
        }
        assertEquals(1, said.stream().distinct().count(), said.toString());
        TrackerFile file = TrackerFile.read(home).orElseThrow();
        assertTrue(said.getFirst().contains(file.url()), said.getFirst());
        // Exactly one tracker process for this home.
        assertEquals(List.of(file.pid()), trackerProcesses());

        Process status = new ProcessBuilder(javaCommand("status")).redirectErrorStream(true).start();
        String out = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, status.waitFor(), out);
        assertTrue(out.contains(file.url()) && out.contains("pid " + file.pid()), out);
    }

    @Test
    void theTrackerExitsWhenItsHomeIsDeleted() throws Exception {
        HomeTracker.ensure(home);
        ProcessHandle process = ProcessHandle.of(TrackerFile.read(home).orElseThrow().pid()).orElseThrow();
        TestFiles.deleteTree(home);
        assertTrue(process.onExit().get(30, TimeUnit.SECONDS) != null);
        assertFalse(process.isAlive());
    }

    @Test
    void aForegroundTrackerOnTheHomesStoreIsTheHomesTracker() throws Exception {
        Process foreground = new ProcessBuilder(javaCommand("--port", "0")).redirectErrorStream(true).start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(foreground.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.startsWith("Yardstick tracker listening on ")) line = out.readLine();
            assertTrue(line != null, "the tracker said where it listens");
            TrackerFile file = TrackerFile.read(home).orElseThrow();
            assertEquals(foreground.pid(), file.pid());
            assertEquals(URI.create(file.url()), HomeTracker.ensure(home), "kernels reuse it, no second server");
            assertTrue(trackerProcesses().isEmpty(), "nothing started in the background");

            Process second = new ProcessBuilder(javaCommand("--port", "0")).redirectErrorStream(true).start();
            String said = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, second.waitFor(), said);
            assertTrue(said.contains("is already served at " + file.url()) && said.contains("--store"), said);
        } finally {
            foreground.destroy();
            foreground.waitFor(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLaunchersCacheNameUsesPosixCksum() throws Exception {
        String text = "a:b/c.jar\nJAVA_VERSION=\"25\"";
        Process p = new ProcessBuilder("cksum").start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split(" ")[0];
        p.waitFor();
        assertEquals(expected, Long.toString(Cksum.of(text.getBytes(StandardCharsets.UTF_8))));
        assertEquals(Long.toString(4294967295L), Long.toString(Cksum.of(new byte[0])));
        assertTrue(HomeTracker.launcherCache(home, "x.jar").getFileName().toString().matches("tracker-\\d+\\.aot"));
    }

    /** {@code TrackerMain ARGS} in a JVM of its own with this home, as {@code yardstick tracker ARGS} runs it. */
    private List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Dyardstick.home=" + home, "-cp", System.getProperty("java.class.path"),
                "yardstick.tracker.TrackerMain"));
        command.addAll(List.of(args));
        return command;
    }

    /** The processes serving this home, from their command lines in /proc (ProcessHandle cuts long ones short). */
    private List<Long> trackerProcesses() throws Exception {
        String serving = "-Dyardstick.home=" + home.toAbsolutePath().normalize() + "\0";
        List<Long> pids = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains(serving) && cmdline.contains(HomeTracker.SERVE_HOME_OPTION)) {
                        pids.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (java.io.IOException gone) {
                    // the process ended while listed
                }
            }
        }
        return pids;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

}
