package yardstick.spark;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real Spark standalone cluster on loopback, started from the Spark jars Maven resolved (no Spark distribution):
 * a master and N workers as child processes, with a SPARK_HOME whose {@code jars/} links those jars (the workers
 * build executors' class paths from it). Stopped by process id.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path home;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final int port;

    private StandaloneCluster(Path dir, int workers, int coresEach) throws Exception {
        // Outside the test's temporary folder: JUnit would warn about every link it deletes.
        home = Path.of("target/test-spark-home").toAbsolutePath();
        Path jars = Files.createDirectories(home.resolve("jars"));
        try (var old = Files.list(jars)) {
            for (Path link : old.toList()) Files.delete(link);
        }
        List<String> cp = new ArrayList<>();
        for (String entry : sparkJars()) {
            Files.createSymbolicLink(jars.resolve(Path.of(entry).getFileName()), Path.of(entry));
            cp.add(entry);
        }
        String classPath = String.join(File.pathSeparator, cp);
        port = freePort();
        master = start(dir.resolve("master.log"), classPath, "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        await(dir.resolve("master.log"), "I have been elected leader");
        for (int i = 0; i < workers; i++) {
            Path log = dir.resolve("worker-" + i + ".log");
            this.workers.add(start(log, classPath, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", String.valueOf(coresEach), "--memory", "2g", "--webui-port", String.valueOf(freePort()),
                    "--work-dir", Files.createDirectories(dir.resolve("work-" + i)).toString(), url()));
            await(log, "Successfully registered with master");
        }
    }

    /**
     * The jars of the driver's class path a Spark installation would have: Spark's, Delta's and their libraries. Not
     * Yardstick's own, nor the libraries only its tasks use (DJL, ONNX Runtime, the MiniLM model, Lucene): executors
     * get those from the driver (its class path, or a Connect session's artifacts), and the tests prove they do. Nor the
     * Connect client's, which bundles its own build of Spark's SQL API.
     */
    static List<String> sparkJars() throws IOException {
        List<String> out = new ArrayList<>();
        for (String entry : Files.readString(Path.of("target/driver-classpath.txt")).strip().split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (entry.endsWith(".jar") && !name.startsWith("yardstick-") && !DriverLaunch.isConnectClient(entry)
                    && TASK_LIBRARIES.stream().noneMatch(entry::contains)) out.add(entry);
        }
        return out;
    }

    /** Where the libraries that only Yardstick's tasks use sit in the Maven repository. */
    private static final List<String> TASK_LIBRARIES = List.of("/ai/djl/", "/com/microsoft/onnxruntime/",
            "/dev/langchain4j/", "/org/apache/lucene/");

    static StandaloneCluster start(Path dir, int workers, int coresEach) throws Exception {
        return new StandaloneCluster(dir, workers, coresEach);
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** The executor JVMs the workers launched (a worker starts nothing else). */
    List<ProcessHandle> executors() {
        List<ProcessHandle> out = new ArrayList<>();
        for (Process w : workers) w.toHandle().children().forEach(out::add);
        return out;
    }

    private Process start(Path log, String classPath, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-cp", classPath, main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void await(Path log, String line) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("no '" + line + "' in " + log + ":\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process w : workers) stop(w);
        stop(master);
    }

    private static void stop(Process p) {
        Optional.of(p.toHandle()).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroy));
        p.destroy();
        try {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
