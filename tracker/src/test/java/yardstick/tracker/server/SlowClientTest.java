package yardstick.tracker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import yardstick.tracker.Http;
import yardstick.tracker.TestFiles;
import yardstick.tracker.TrackerProcess;

/**
 * A client that sends its request a byte at a time, or nothing at all, loses its connection after the request
 * timeout. The JDK HTTP server reads its time limits once per JVM, so the tracker runs in a JVM of its own here,
 * started as {@code yardstick tracker --request-timeout 2}.
 */
class SlowClientTest {
    private static final int TIMEOUT_SECONDS = 2;
    private static Path dir;
    private static TrackerProcess tracker;
    private static URI base;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("yardstick-slow-");
        tracker = TrackerProcess.start(dir, "--request-timeout", Integer.toString(TIMEOUT_SECONDS));
        base = URI.create(tracker.uri);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        tracker.close();
        TestFiles.deleteTree(dir);
    }

    /** Seconds until the server closes {@code s}, writing one header byte every 200 ms while it stays open. */
    private static double secondsUntilClosed(Socket s, boolean drip) throws IOException {
        long t0 = System.nanoTime();
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        s.setSoTimeout(200);
        byte[] header = ("GET /api/2.0/mlflow/experiments/get?experiment_id=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-Padding: " + "a".repeat(1000)).getBytes(StandardCharsets.US_ASCII);
        int sent = 0;
        while (System.nanoTime() - t0 < 20_000_000_000L) {
            try {
                if (drip) {
                    out.write(header[sent++ % header.length]);
                    out.flush();
                }
                if (in.read() < 0) {
                    break; // closed by the server
                }
            } catch (SocketTimeoutException stillOpen) {
                continue;
            } catch (IOException reset) {
                break;
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    @Test
    void aSlowLorisIsCutOffAfterTheRequestTimeout() throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            double seconds = secondsUntilClosed(s, true);
            // The server checks request ages every second.
            assertTrue(seconds >= TIMEOUT_SECONDS - 0.5 && seconds < TIMEOUT_SECONDS + 3, "closed after " + seconds + " s");
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedToo() throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            double seconds = secondsUntilClosed(s, false);
            assertTrue(seconds < TIMEOUT_SECONDS + 3, "closed after " + seconds + " s");
        }
    }

    @Test
    void anOrdinaryRequestIsServedMeanwhile() {
        Http.Answer a = Http.get(tracker.uri + "/api/2.0/mlflow/experiments/get?experiment_id=0");
        assertEquals(200, a.status(), a.body());
    }
}
