package yardstick.tracker.bench;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import yardstick.tracker.TestFiles;
import yardstick.tracker.TrackerConfig;
import yardstick.tracker.TrackerServer;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Tag;
import yardstick.tracker.store.JdbcTrackerStore;
import yardstick.tracker.store.SqliteDialect;
import yardstick.tracker.store.TrackerStore;

/**
 * The tracker's numbers on this machine, printed as a table: start-up, log-batch ingest with the
 * MLflow client, single log-metric requests, runs/search over 10,000 runs, and the raw SQLite insert
 * ceiling. Not a test; run with {@code ./mvnw -q -pl tracker test-compile exec:java}.
 * {@code -Dexec.args="--peer-url http://127.0.0.1:5055"} also sends the same log-batch workload, through the same
 * client, to another MLflow server (a real MLflow on SQLite) in the same run and prints the ratio;
 * {@code --ingest-only} skips the other measures.
 */
public final class TrackerBench {
    private final List<String[]> rows = new ArrayList<>();

    private final String peerUrl;
    private final boolean ingestOnly;

    private TrackerBench(String peerUrl, boolean ingestOnly) {
        this.peerUrl = peerUrl;
        this.ingestOnly = ingestOnly;
    }

    public static void main(String[] args) throws Exception {
        String peer = null;
        boolean ingestOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--peer-url" -> {
                    if (i + 1 == args.length) throw new IllegalArgumentException("--peer-url needs a URL");
                    peer = args[++i];
                }
                case "--ingest-only" -> ingestOnly = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--peer-url URL, --ingest-only)");
            }
        }
        new TrackerBench(peer, ingestOnly).run();
        System.exit(0);
    }

    private void row(String what, String value, String target) {
        rows.add(new String[] {what, value, target});
        System.err.printf("  %-62s %s%n", what, value);
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("yardstick-bench-");
        try {
            if (!ingestOnly) {
                startup(dir);
                inProcessStartup(dir);
            }
            try (TrackerServer server = TrackerServer.start(TrackerConfig.defaults().withPort(0)
                    .withStore("sqlite:" + dir.resolve("bench.db")).withArtifactRoot(dir.resolve("artifacts")))) {
                String uri = server.uri().toString();
                double ingest = batchIngest(uri, 1, "");
                double ingest4 = batchIngest(uri, 4, "");
                if (peerUrl != null) {
                    double peer = batchIngest(peerUrl, 1, " on " + peerUrl);
                    double peer4 = batchIngest(peerUrl, 4, " on " + peerUrl);
                    row("ratio: log-batch ingest, ours / " + peerUrl + ", 1 client", String.format("%.1fx", ingest / peer), ">= 5x");
                    row("ratio: log-batch ingest, ours / " + peerUrl + ", 4 clients", String.format("%.1fx", ingest4 / peer4), ">= 5x");
                }
                if (!ingestOnly) {
                    singleMetrics(uri);
                    search(server.store(), uri);
                    double raw = rawSqlite(dir.resolve("raw.db"));
                    row("ratio: HTTP log-batch (1 client) / raw SQLite", String.format("%.2f", ingest / raw), "report");
                }
            }
        } finally {
            TestFiles.deleteTree(dir);
        }
        System.out.println();
        System.out.println("| measure | value | target |");
        System.out.println("|---|---|---|");
        for (String[] r : rows) {
            System.out.println("| " + r[0] + " | " + r[1] + " | " + r[2] + " |");
        }
    }

    /** Process start to first answered request, median of five fresh JVMs on fresh stores. */
    private void startup(Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        HttpClient http = HttpClient.newHttpClient();
        long[] ms = new long[5];
        for (int i = 0; i < ms.length; i++) {
            Path d = Files.createDirectories(dir.resolve("start" + i));
            int port;
            try (var s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", classPath(), "yardstick.tracker.TrackerMain",
                    "--port", Integer.toString(port), "--store", "sqlite:" + d.resolve("t.db"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            URI health = URI.create("http://127.0.0.1:" + port + "/api/2.0/mlflow/experiments/get?experiment_id=0");
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    Thread.sleep(5);
                }
                if (System.nanoTime() - t0 > 60_000_000_000L) {
                    throw new IllegalStateException("tracker did not start");
                }
            }
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
            p.destroyForcibly().waitFor();
        }
        Arrays.sort(ms);
        row("start: process start to first answered request, median of 5 (ms)", ms[2] + " (min " + ms[0] + ", max " + ms[4] + ")",
                "<= 1000");
    }

    /** TrackerServer.start on a fresh SQLite store to the first answered request, as the kernel embeds it. */
    private void inProcessStartup(Path dir) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long[] ms = new long[5];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            try (TrackerServer server = TrackerServer.start(TrackerConfig.defaults().withPort(0)
                    .withStore("sqlite:" + dir.resolve("embedded" + i + "/t.db")))) {
                URI get = URI.create(server.uri() + "/api/2.0/mlflow/experiments/get?experiment_id=0");
                if (http.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                    throw new IllegalStateException("embedded tracker did not answer");
                }
                ms[i] = (System.nanoTime() - t0) / 1_000_000;
            }
        }
        row("start in-process (TrackerServer.start, fresh store) to first answer: first / median of 5 (ms)",
                ms[0] + " / " + sortedMedian(ms), "<= 1000");
    }

    private static long sortedMedian(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }

    private static String classPath() {
        // Under exec:java the project's classes come from a class loader, not java.class.path.
        if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
            List<String> parts = new ArrayList<>();
            for (URL u : loader.getURLs()) {
                parts.add(new File(URI.create(u.toString())).getPath());
            }
            if (!parts.isEmpty()) {
                return String.join(File.pathSeparator, parts);
            }
        }
        return System.getProperty("java.class.path");
    }

    /** Points per second through runs/log-batch, 1,000 points a request, from {@code clients} MLflow clients. */
    private double batchIngest(String uri, int clients, String where) throws Exception {
        int batchesPerClient = clients == 1 ? 300 : 100;
        try (MlflowClient warm = new MlflowClient(uri)) {
            String runId = warm.createRun().getRunId();
            warm.logBatch(runId, batch("warm", 0), List.of(), List.of());
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                try (MlflowClient client = new MlflowClient(uri)) {
                    String runId = client.createRun().getRunId();
                    for (int b = 0; b < batchesPerClient; b++) {
                        client.logBatch(runId, batch("loss", b), List.of(), List.of());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        double rate = clients * batchesPerClient * 1000.0 / seconds;
        row("log-batch ingest" + where + ", MLflow client, " + clients + " client" + (clients > 1 ? "s" : "")
                + ", 1000 points/request (points/s)",
                String.format("%,.0f", rate), where.isEmpty() ? ">= 50,000" : "report");
        return rate;
    }

    private static List<Metric> batch(String key, int b) {
        List<Metric> points = new ArrayList<>(1000);
        for (int i = 0; i < 1000; i++) {
            long step = (long) b * 1000 + i;
            points.add(Metric.newBuilder().setKey(key).setValue(Math.sin(step)).setTimestamp(1_700_000_000_000L + step)
                    .setStep(step).build());
        }
        return points;
    }

    /** Single runs/log-metric requests per second from 8 client threads. */
    private void singleMetrics(String uri) throws Exception {
        int threads = 8;
        int perThread = 1500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<MlflowClient> clients = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            MlflowClient c = new MlflowClient(uri);
            clients.add(c);
            runs.add(c.createRun().getRunId());
            c.logMetric(runs.get(t), "warm", 0);
        }
        List<Future<?>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            MlflowClient c = clients.get(t);
            String runId = runs.get(t);
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    c.logMetric(runId, "acc", i * 0.001, 1_700_000_000_000L + i, i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double rate = threads * perThread / ((System.nanoTime() - t0) / 1e9);
        pool.shutdown();
        clients.forEach(MlflowClient::close);
        row("single log-metric requests, 8 client threads (requests/s)", String.format("%,.0f", rate), ">= 2,000");
    }

    /** runs/search with a metric filter over an experiment of 10,000 runs, through the MLflow client. */
    private void search(TrackerStore store, String uri) {
        String exp = store.createExperiment("search-bench", null, List.of()).experimentId();
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            String runId = store.createRun(exp, "bench", 1_700_000_000_000L + i, null, List.of(new Tag("team", "t" + (i % 7))))
                    .info().runId();
            store.logBatch(runId, List.of(new yardstick.tracker.model.Metric("acc", random.nextDouble(), 1, 10),
                    new yardstick.tracker.model.Metric("loss", random.nextDouble(), 1, 10)),
                    List.of(new Param("lr", Double.toString(random.nextInt(10) / 100.0)), new Param("model", "m" + (i % 5))), List.of());
        }
        try (MlflowClient client = new MlflowClient(uri)) {
            for (int pageSize : new int[] {100, 1000}) {
                for (String filter : new String[] {"metrics.acc > 0.9", "metrics.acc > 0.5 and params.model = 'm1'"}) {
                    long[] ns = new long[40];
                    int found = 0;
                    for (int i = -5; i < ns.length; i++) {
                        long t0 = System.nanoTime();
                        found = client.searchRuns(List.of(exp), filter, ViewType.ACTIVE_ONLY, pageSize).getItems().size();
                        if (i >= 0) {
                            ns[i] = System.nanoTime() - t0;
                        }
                    }
                    Arrays.sort(ns);
                    row("runs/search over 10,000 runs, `" + filter + "`, max_results " + pageSize + " (" + found + " returned): p50 / p95 ms",
                            String.format("%.1f / %.1f", ns[ns.length / 2] / 1e6, ns[(int) (ns.length * 0.95)] / 1e6),
                            pageSize == 100 ? "p50 <= 50" : "report");
                }
            }
        }
    }

    /** The ceiling: the same metric rows inserted straight into SQLite with JDBC, 1,000 per transaction. */
    private double rawSqlite(Path db) throws Exception {
        // Open through the store once so the file has exactly the tracker's schema and settings.
        JdbcTrackerStore.open(new SqliteDialect(db), "mlflow-artifacts:").close();
        SqliteDialect dialect = new SqliteDialect(db);
        int batches = 300;
        try (Connection c = dialect.open()) {
            c.setAutoCommit(false);
            String runId = "0123456789abcdef0123456789abcdef";
            long t0 = System.nanoTime();
            try (PreparedStatement p = c.prepareStatement("INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (int b = 0; b < batches; b++) {
                    for (int i = 0; i < 1000; i++) {
                        long step = (long) b * 1000 + i;
                        p.setString(1, runId);
                        p.setString(2, "loss");
                        p.setDouble(3, Math.sin(step));
                        p.setInt(4, 0);
                        p.setLong(5, 1_700_000_000_000L + step);
                        p.setLong(6, step);
                        p.addBatch();
                    }
                    p.executeBatch();
                    c.commit();
                }
            }
            double rate = batches * 1000.0 / ((System.nanoTime() - t0) / 1e9);
            row("raw SQLite JDBC batch insert, same rows, 1000/transaction (points/s) = ceiling", String.format("%,.0f", rate), "report");
            return rate;
        }
    }
}
