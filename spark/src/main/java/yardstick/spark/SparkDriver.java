package yardstick.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import yardstick.kernel.magic.Environment;

/**
 * The Spark driver's child JVM and the line protocol to it: one JSON request per line on its stdin, JSON events
 * (progress, then a result or an error) on its stdout; Spark's own log goes to {@code driver.log}. One request at a
 * time.
 */
public final class SparkDriver implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long START_TIMEOUT_MS = 180_000;

    private final String master;
    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final Path log;
    private final JsonNode ready;
    /** The notebook's cell classes this driver has already written to its class folder (see {@code SparkEval}). */
    final java.util.Set<String> classesSent = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private SparkDriver(String master, Process process, Path log) throws IOException {
        this.master = master;
        this.process = process;
        this.log = log;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.ready = awaitReady();
    }

    /**
     * Starts a driver for {@code master} ({@code local[*]}, {@code spark://HOST:PORT}, {@code sc://HOST:PORT}) with
     * {@code java} (null: the kernel's). Fails in seconds, before any JVM starts, when the master does not answer.
     */
    public static SparkDriver start(String master, Path java, Path home) {
        DriverLaunch.checkMaster(master);
        DriverLaunch launch = DriverLaunch.find(java);
        Path dir = home.resolve("spark");
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve("driver.log");
            List<String> cmd = new ArrayList<>(List.of(launch.java().toString(), "-Xmx2g"));
            cmd.addAll(launch.jvmFlags());
            cmd.addAll(List.of("-cp", String.join(File.pathSeparator, launch.driverClassPath(master)),
                    "yardstick.spark.driver.DriverMain", master, String.join(File.pathSeparator, launch.executorJars(master)),
                    home.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(log.toFile()));
            // The notebook's environment (%env, keys), as the in-kernel path sees it.
            Map<String, String> env = pb.environment();
            env.putAll(Environment.shared().all());
            env.put("YARDSTICK_HOME", home.toString());
            return new SparkDriver(master, pb.start(), log);
        } catch (IOException e) {
            throw new SparkException("could not start the Spark driver: " + e.getMessage(), e);
        }
    }

    private JsonNode awaitReady() throws IOException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(Math.max(1, deadline - System.currentTimeMillis()));
                process.destroy();
            } catch (InterruptedException ignored) {
                // started in time
            }
        });
        try {
            JsonNode first = next();
            if (first.path("event").asText().equals("ready")) return first;
            throw failure(first);
        } finally {
            watchdog.interrupt();
        }
    }

    public String master() {
        return master;
    }

    /** What the driver said when it started: Spark's version, Java's, the parallelism. */
    public JsonNode info() {
        return ready;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Sends one request and returns its result; {@code progress} gets each progress event on the way. */
    public synchronized JsonNode request(ObjectNode request, Consumer<JsonNode> progress) {
        if (!process.isAlive()) throw new SparkException("the Spark driver has stopped" + tail() + ": %spark connect again");
        try {
            in.write(JSON.writeValueAsString(request));
            in.newLine();
            in.flush();
            while (true) {
                JsonNode e = next();
                switch (e.path("event").asText()) {
                    case "progress" -> progress.accept(e);
                    case "result" -> {
                        return e;
                    }
                    default -> throw failure(e);
                }
            }
        } catch (IOException e) {
            throw new SparkException("lost the Spark driver: " + e.getMessage() + tail(), e);
        }
    }

    private JsonNode next() throws IOException {
        String line = out.readLine();
        if (line == null) throw new SparkException("the Spark driver exited" + tail());
        return JSON.readTree(line);
    }

    private SparkException failure(JsonNode event) {
        return new SparkException(event.path("message").asText("the Spark driver sent " + event));
    }

    /** The end of the driver's log, for an error that would otherwise say nothing. */
    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return last.isEmpty() ? "" : " (" + log + " ends: " + String.join(" | ", last) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // the driver is gone already
        }
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
