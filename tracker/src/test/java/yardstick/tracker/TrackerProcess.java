package yardstick.tracker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code TrackerMain} in a child JVM, as the launcher runs it, so that tests can kill it with SIGKILL. */
public final class TrackerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    public final Process process;
    public final String uri;
    /** Milliseconds from spawning the JVM to its "listening" line. */
    public final long startMillis;

    private TrackerProcess(Process process, String uri, long startMillis) {
        this.process = process;
        this.uri = uri;
        this.startMillis = startMillis;
    }

    /** Starts a tracker over {@code dir} with {@code options} after the port, store and artifact options. */
    public static TrackerProcess start(Path dir, String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                "yardstick.tracker.TrackerMain", "--port", "0", "--store", "sqlite:" + dir.resolve("tracker.db"),
                "--artifacts", dir.resolve("artifacts").toString()));
        cmd.addAll(List.of(options));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                // Keep reading its output so the child never blocks on a full pipe.
                Thread.ofVirtual().start(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discard
                        }
                    } catch (IOException ignored) {
                        // The process ended.
                    }
                });
                return new TrackerProcess(p, m.group(1), ms);
            }
        }
        throw new IOException("Tracker exited before listening:\n" + seen);
    }

    /** SIGKILL: no shutdown hook, no chance to flush anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
