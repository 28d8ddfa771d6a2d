package yardstick.bench.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import yardstick.kernel.bench.Bench;
import yardstick.tracker.TrackerConfig;
import yardstick.tracker.TrackerServer;

/**
 * The review page's numbers against a real tracker (SQLite) over loopback: a rater's page load and an answer's round
 * trip, each the median and 95th percentile of many (wall time at the client, so an upper bound on server time), and
 * 20 raters answering at once, checked for lost answers.
 */
public final class ReviewBench implements Bench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Override
    public String name() {
        return "review";
    }

    @Override
    public String arguments() {
        return "";
    }

    @Override
    public String summary() {
        return "review page load, answer round trip, 20 raters at once";
    }

    public ReviewBench() {}  // a Bench service

    record Row(String what, double medianMs, double p95Ms, double limitMs, String note) {}

    @Override
    public int run(List<String> args) throws Exception {
        Path dir = Files.createTempDirectory("yardstick-review-bench-");
        int raters = 20, items = 50;
        List<Row> rows = new ArrayList<>();
        boolean ok;
        try (TrackerServer tracker = TrackerServer.start(TrackerConfig.defaults().withPort(0)
                .withStore("sqlite:" + dir.resolve("tracker.db")).withArtifactRoot(dir.resolve("artifacts")))) {
            String base = tracker.uri().toString();
            List<String> links = publish(base, "rate", raters, items);
            String one = base + links.get(0);
            for (int i = 0; i < 50; i++) get(one);  // warm up
            rows.add(row("rater page load (GET, item with rubric and Markdown)", 300, () -> get(one), 100, items + " items"));
            int[] position = {0};
            rows.add(row("rating round trip (POST answer, JSON)", 300, () -> post(one, (position[0]++ % items) + 1), 50,
                    "each answer also logs completion to the session's run"));
            List<String> arena = publish(base, "arena", 1, items);
            rows.add(row("arena page load (GET, two outputs)", 300, () -> get(base + arena.get(0)), 100, ""));

            // 20 raters at once, each answering every item as fast as it can.
            List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            long t0 = System.nanoTime();
            try (ExecutorService pool = Executors.newFixedThreadPool(raters)) {
                List<Future<?>> all = new ArrayList<>();
                for (int r = 1; r < raters; r++) {
                    String link = base + links.get(r);
                    all.add(pool.submit(() -> {
                        for (int p = 1; p <= items; p++) {
                            long s = System.nanoTime();
                            post(link, p);
                            latencies.add((System.nanoTime() - s) / 1e6);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : all) f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            int expected = (raters - 1) * items;
            JsonNode results = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/2.0/yardstick/reviews/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
            int saved = 0;
            for (JsonNode s : results.path("sessions")) {
                if (s.path("mode").asText().equals("rate")) for (JsonNode p : s.path("progress")) saved += p.path("answered").asInt();
            }
            saved -= items;  // the first rater's answers from the round-trip case
            double[] l = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            rows.add(new Row("19 more raters answering at once (POST answer)", l[l.length / 2], l[(int) (l.length * 0.95)], 50,
                    String.format(Locale.ROOT, "%d of %d saved, %d lost, %.0f answers/s", saved, expected, expected - saved, expected / seconds)));
            ok = saved == expected;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println(String.format(Locale.ROOT, "%-58s %10s %10s %9s  %s", "case", "median ms", "p95 ms", "limit ms", "note"));
        for (Row r : rows) {
            System.out.println(String.format(Locale.ROOT, "%-58s %10.2f %10.2f %9.0f  %s", r.what(), r.medianMs(), r.p95Ms(), r.limitMs(), r.note()));
        }
        return ok ? 0 : 1;
    }

    interface Call {
        void run() throws Exception;
    }

    private static Row row(String what, int n, Call call, double limit, String note) throws Exception {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(ms);
        return new Row(what, ms[n / 2], ms[(int) (n * 0.95)], limit, note);
    }

    private static List<String> publish(String base, String mode, int raters, int items) throws Exception {
        ObjectNode req = JSON.createObjectNode().put("name", "bench-" + mode).put("mode", mode)
                .put("rubric", "**5**: correct and concise.\n**3**: correct with extra words.\n**1**: wrong.");
        ArrayNode rs = req.putArray("raters");
        for (int r = 0; r < raters; r++) rs.add("rater" + r);
        ArrayNode is = req.putArray("items");
        for (int i = 0; i < items; i++) {
            ObjectNode item = is.addObject().put("key", "row" + i).put("context", "Some retrieved context for row " + i + ".");
            item.putObject("input").put("question", "What is the capital of country " + i + "? Answer **briefly**.");
            ArrayNode outputs = item.putArray("outputs");
            String text = "The capital is `City " + i + "`.\n\n- first reason\n- second reason\n\n```\ncode sample\n```";
            outputs.addObject().put("model", "m1").put("output", text);
            if (mode.equals("arena")) outputs.addObject().put("model", "m2").put("output", text.replace("City", "Town"));
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/yardstick/reviews/create"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(req.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(r.body());
        List<String> links = new ArrayList<>();
        JSON.readTree(r.body()).path("links").forEach(l -> links.add(l.asText()));
        return links;
    }

    private static void get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
    }

    private static void post(String link, int position) throws Exception {
        String body = "{\"position\": " + position + ", \"score\": " + (1 + position % 5) + ", \"rationale\": \"ok\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(link + "/answer")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
}
