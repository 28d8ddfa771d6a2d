package yardstick.tracker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code StartupCache FILE}: makes the JDK 25 AOT cache ({@code -XX:AOTCache}, JEPs 483/514/515) that
 * {@code yardstick tracker} starts with. One training run of the real tracker in a child JVM, on a
 * throwaway store, answers what a client's first minute asks (experiment lookup, a run, a batch, a
 * search, a UI page); the child writes the cache as it exits, and the file is moved into place only
 * when complete, so a concurrent start never maps half a cache. The child gets this JVM's options, as
 * the cache must be used with the options it was made with.
 */
public final class StartupCache {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private StartupCache() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: StartupCache CACHE_FILE");
            System.exit(2);
        }
        Path cache = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(cache.getParent());
        Path work = Files.createTempDirectory("yardstick-tracker-aot");
        Path partial = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            train(work, partial);
            if (!Files.exists(partial)) {
                throw new IOException("the training run wrote no AOT cache");
            }
            Files.move(partial, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
            deleteTree(work);
        }
    }

    private static void train(Path work, Path output) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-XX:AOTCache")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-XX:AOTCacheOutput=" + output, "-cp", System.getProperty("java.class.path"),
                TrackerMain.class.getName(), "--port", "0", "--store", "sqlite:" + work.resolve("train.db"),
                "--artifacts", work.resolve("artifacts").toString()));
        // The child's output goes to a file: destroy() closes the pipes, while the child still writes as it exits.
        Path log = work.resolve("training.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String base = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (base == null) {
                Matcher m = LISTENING.matcher(Files.readString(log));
                if (m.find()) {
                    base = m.group(1);
                } else if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("the training tracker did not start:\n" + Files.readString(log));
                } else {
                    Thread.sleep(20);
                }
            }
            requests(base);
            // SIGTERM: the shutdown hook closes the store, and the JVM writes the cache as it exits.
            p.destroy();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new IOException("the training tracker did not exit");
            }
            System.err.print(Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
    }

    private static void requests(String base) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        String api = base + "/api/2.0/mlflow/";
        get(http, api + "experiments/get?experiment_id=0");
        get(http, api + "experiments/get-by-name?experiment_name=Default");
        String run = post(http, api + "runs/create", "{\"experiment_id\":\"0\",\"start_time\":1}");
        Matcher id = Pattern.compile("\"run_id\"\\s*:\\s*\"(\\w+)\"").matcher(run);
        if (!id.find()) {
            throw new IOException("runs/create answered " + run);
        }
        String runId = id.group(1);
        StringBuilder batch = new StringBuilder("{\"run_id\":\"" + runId + "\",\"metrics\":[");
        for (int i = 0; i < 200; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"key\":\"loss\",\"value\":").append(1.0 / (i + 1))
                    .append(",\"timestamp\":\"").append(1_700_000_000_000L + i).append("\",\"step\":").append(i).append('}');
        }
        batch.append("],\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"}],\"tags\":[{\"key\":\"t\",\"value\":\"v\"}]}");
        for (int i = 0; i < 3; i++) {
            post(http, api + "runs/log-batch", batch.toString());
            post(http, api + "runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"acc\",\"value\":0.5,\"timestamp\":"
                    + (1_700_000_000_000L + i) + ",\"step\":" + i + "}");
            post(http, api + "runs/search", "{\"experiment_ids\":[\"0\"],\"filter\":\"metrics.loss < 0.5 and params.lr = '0.1'\","
                    + "\"max_results\":100}");
            get(http, api + "metrics/get-history?run_id=" + runId + "&metric_key=loss");
            get(http, api + "runs/get?run_id=" + runId);
        }
        post(http, api + "runs/update", "{\"run_id\":\"" + runId + "\",\"status\":\"FINISHED\",\"end_time\":2}");
        get(http, base + "/");
    }

    private static String get(HttpClient http, String url) throws Exception {
        return send(http, HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build());
    }

    private static String post(HttpClient http, String url, String json) throws Exception {
        return send(http, HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static String send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(request.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
