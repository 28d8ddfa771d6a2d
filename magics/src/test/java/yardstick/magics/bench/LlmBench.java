package yardstick.magics.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.magics.llm.BatchProgress;
import yardstick.magics.llm.Endpoint;
import yardstick.magics.llm.FakeOpenAi;
import yardstick.magics.llm.Model;
import yardstick.magics.llm.OpenAiProvider;
import yardstick.magics.llm.ResponseCache;
import yardstick.magics.llm.RetryPolicy;
import yardstick.magics.llm.Template;
import yardstick.magics.track.TrackedRun;
import yardstick.magics.track.Tracking;

/**
 * The numbers issue 4 asks for, against the in-process OpenAI-compatible server:
 * {@code ./mvnw -q -pl magics test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.mainClass=yardstick.magics.bench.LlmBench -Dexec.classpathScope=test}.
 */
public final class LlmBench {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("yardstick-llm-bench-");
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-58s %12s %12s%n", "measure", "result", "target"));
        try (FakeOpenAi server = new FakeOpenAi()) {
            Endpoint e = new Endpoint("bench", "openai", server.baseUrl(), "m", null, 0.15, 0.6, Duration.ofSeconds(30), "bench");
            Model model = new Model(e, new OpenAiProvider(server.baseUrl(), "sk", null, Duration.ofSeconds(30), RetryPolicy.DEFAULT),
                    new ResponseCache(dir.resolve("cache")));

            // 1. 100 prompts, 50 ms each, 16 at a time: the ideal is ceil(100/16) * 50 ms = 350 ms. The peer is a bare
            //    HttpClient sending the same requests 16 at a time to the same server. Both sides, and the server that
            //    shares their cores, are warmed first; then the two alternate, so neither profits from going second.
            server.delayMs = 50;
            Table qs = Table.create("q", StringColumn.create("question"));
            for (int i = 0; i < 400; i++) qs.stringColumn(0).append("warm " + i);
            Table hundred = Table.create("q", StringColumn.create("question"));
            for (int i = 0; i < 100; i++) hundred.stringColumn(0).append("question " + i);
            HttpClient peer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 3; i++) {
                model.withConcurrency(16).withoutCache().batch(qs, Template.of("{{question}}"), n -> null, BatchProgress.NONE);
                bare(peer, server.baseUrl(), 400, 16);
            }
            double best = Double.MAX_VALUE, latency = 0, peerBest = Double.MAX_VALUE;
            for (int rep = 0; rep < 7; rep++) {
                long t0 = System.nanoTime();
                var r = model.withConcurrency(16).withoutCache().batch(hundred, Template.of("{{question}}"), n -> null, BatchProgress.NONE);
                double wall = (System.nanoTime() - t0) / 1e6;
                if (wall < best) {
                    best = wall;
                    latency = r.meanLatencyMs();
                }
                peerBest = Math.min(peerBest, bare(peer, server.baseUrl(), 100, 16));
            }
            row(table, "100 prompts x 50 ms, concurrency 16: wall time (best of 7)", best, "ms", "<= 500 ms");
            row(table, "  mean request latency in that batch (server: 50 ms)", latency, "ms", "");
            row(table, "  share of ideal (350 ms)", 100 * 350 / best, "%", ">= 90 %");
            row(table, "  peer: bare HttpClient, same requests (best of 7)", peerBest, "ms", "");
            row(table, "  share of the peer's wall time", 100 * peerBest / best, "%", "");

            // 2. A cache hit.
            server.delayMs = 0;
            model.complete("cached question");
            int n = 2000;
            for (int i = 0; i < n; i++) model.complete("cached question");
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) model.complete("cached question");
            row(table, "cache hit, per call (mean of " + n + ")", (System.nanoTime() - t0) / 1e6 / n, "ms", "<= 1 ms");

            // 3. Overhead per call: Model.complete (cache lookup and write, timing, pricing, JSON) minus the same
            //    request sent with a bare HttpClient, both to a server that answers at once.
            Model fresh = model.withoutCache();
            HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build();
            double viaModel = Double.MAX_VALUE, viaRaw = Double.MAX_VALUE;
            for (int rep = 0; rep < 5; rep++) {
                long a = System.nanoTime();
                for (int i = 0; i < 1000; i++) fresh.complete("hi");
                viaModel = Math.min(viaModel, (System.nanoTime() - a) / 1e6 / 1000);
                long b = System.nanoTime();
                for (int i = 0; i < 1000; i++) raw.send(request, HttpResponse.BodyHandlers.ofByteArray());
                viaRaw = Math.min(viaRaw, (System.nanoTime() - b) / 1e6 / 1000);
            }
            row(table, "call via Model.complete, per call", viaModel, "ms", "");
            row(table, "same request via bare HttpClient, per call", viaRaw, "ms", "");
            row(table, "Yardstick overhead per call, network excluded", viaModel - viaRaw, "ms", "<= 1 ms");
        }

        // 4. 10,000 metric points from a cell, to the embedded tracker.
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Tracking t = new Tracking(new Tracking.Settings(null, null, null, null, dir.resolve("home"), "bench", null, true), quiet, quiet)) {
            TrackedRun warm = t.start("warm-up");
            for (int i = 0; i < 10_000; i++) warm.metric("x", i, i);
            t.flush(Duration.ofSeconds(60));
            TrackedRun run = t.start("bench");
            long t0 = System.nanoTime();
            for (int i = 0; i < 10_000; i++) run.metric("loss", 1.0 / (i + 1), i);
            double cell = (System.nanoTime() - t0) / 1e6;
            boolean sent = t.flush(Duration.ofSeconds(60));
            double all = (System.nanoTime() - t0) / 1e6;
            row(table, "10,000 metric points: time added to the cell", cell, "ms", "<= 50 ms");
            row(table, "  until all reached the tracker" + (sent ? "" : " (NOT ALL SENT)"), all, "ms", "");
        }
        System.out.print(table);
        System.exit(0);
    }

    /** {@code n} requests from {@code threads} virtual threads through one bare HttpClient; the wall time in ms. */
    private static double bare(HttpClient http, String baseUrl, int n, int threads) throws Exception {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        long t0 = System.nanoTime();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        HttpRequest r = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"question " + i + "\"}]}"))
                                .build();
                        http.send(r, HttpResponse.BodyHandlers.ofByteArray());
                    }
                    return null;
                });
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void row(StringBuilder t, String name, double value, String unit, String target) {
        t.append(String.format(Locale.ROOT, "%-58s %9.3f %-2s %12s%n", name, value, unit, target));
    }
}
