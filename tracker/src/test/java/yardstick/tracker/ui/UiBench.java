package yardstick.tracker.ui;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.TestFiles;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Tag;
import yardstick.tracker.store.TrackerStore;

/**
 * The history UI's numbers on this machine, printed as a table (not a test): the runs page over 10,000 runs (server
 * time, measured as the loopback round trip), the chart data endpoint over a 100,000-point metric, and drawing that
 * chart in headless Chromium, timed with performance.now() in the page. Run with
 * {@code java -cp "tracker/target/classes:tracker/target/test-classes:$(cat cp.txt)" yardstick.tracker.ui.UiBench}
 * after {@code ./mvnw -q -pl tracker test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
public final class UiBench {
    private static final int RUNS = 10_000;
    private static final int CHILDREN_PER_SESSION = 4;
    private static final int CHART_POINTS = 100_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<String[]> rows = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new UiBench().run();
        System.exit(0);
    }

    private void row(String what, String value, String target) {
        rows.add(new String[] {what, value, target});
        System.err.printf("  %-66s %s%n", what, value);
    }

    private void run() throws Exception {
        try (RunningTracker tracker = new RunningTracker()) {
            TrackerStore store = tracker.server.store();
            long t0 = System.nanoTime();
            String experimentId = fill(store);
            row("setup: " + RUNS + " runs (sessions with nested runs) logged", ms(System.nanoTime() - t0) + " ms", "");
            String base = tracker.uri() + "/experiments/" + experimentId;
            row("runs page, 10,000 runs, newest 100 (tree, columns), median of 30", median(base, 30) + " ms", "<= 300 ms");
            row("  same, sorted by a metric", median(base + "?order_by=" + Format.url("metrics.`accuracy` DESC"), 30) + " ms", "<= 300 ms");
            row("  same, filtered on a param and a metric", median(base + "?filter="
                    + Format.url("params.model = 'm3' and metrics.accuracy > 0.5"), 30) + " ms", "<= 300 ms");
            row("  page weight", get(base).length() / 1024 + " KiB of HTML", "");

            String longRun = store.createRun(experimentId, "bench", 1, "long", List.of()).info().runId();
            HistoryUiBrowserTest.logLongHistory(store, longRun, CHART_POINTS);
            String data = tracker.uri() + MetricData.PATH + "?key=loss&run=" + longRun;
            row("chart data, 100,000 points -> LTTB 2,000 (server, median of 20)", median(data, 20) + " ms", "");
            row("  of which the store's getMetricSeries of 100,000 points (median)",
                    ms(medianNanos(() -> store.getMetricSeries(longRun, "loss"))) + " ms", "");
            row("  for comparison, getMetricHistory of the same points as objects (median)",
                    ms(medianNanos(() -> store.getMetricHistory(longRun, "loss", null, null))) + " ms", "");
            row("  JSON size", get(data).length() / 1024 + " KiB", "");
            browser(tracker.uri() + "/runs/" + longRun);
        }
        System.out.println();
        System.out.println("| measure | value | target |");
        System.out.println("|---|---|---|");
        for (String[] r : rows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
    }

    /** The median of 10 timed calls after 3 to warm up. */
    private static long medianNanos(Runnable call) {
        long[] ns = new long[10];
        for (int i = -3; i < ns.length; i++) {
            long t = System.nanoTime();
            call.run();
            if (i >= 0) {
                ns[i] = System.nanoTime() - t;
            }
        }
        Arrays.sort(ns);
        return ns[ns.length / 2];
    }

    /** Sessions, each with nested runs, as notebooks log them: params, single-value metrics, a tag. */
    private static String fill(TrackerStore store) {
        String experimentId = store.createExperiment("bench-ui", null, List.of()).experimentId();
        Random random = new Random(1);
        int made = 0;
        long time = 1_700_000_000_000L;
        while (made < RUNS) {
            String session = store.createRun(experimentId, "bench", time++, "session-" + made, List.of()).info().runId();
            made++;
            for (int c = 0; c < CHILDREN_PER_SESSION && made < RUNS; c++, made++) {
                String id = store.createRun(experimentId, "bench", time++, "prompt-" + made,
                        List.of(new Tag(RunsTable.PARENT_TAG, session), new Tag("team", "t" + (made % 3)))).info().runId();
                store.logBatch(id, List.of(new Metric("accuracy", random.nextDouble(), time, 0),
                        new Metric("latency_ms", 100 + random.nextInt(900), time, 0), new Metric("tokens", random.nextInt(5000), time, 0)),
                        List.of(new Param("model", "m" + (made % 5)), new Param("temperature", "0." + (made % 10)),
                                new Param("template", "Summarize {text} in " + (made % 7) + " words")), List.of());
            }
        }
        return experimentId;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The median round trip of {@code n} GETs after 5 to warm up. */
    private static long median(String url, int n) throws Exception {
        for (int i = 0; i < 5; i++) {
            get(url);
        }
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            get(url);
            times[i] = System.nanoTime() - t;
        }
        Arrays.sort(times);
        return ms(times[n / 2]);
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }

    @SuppressWarnings("unchecked")
    private void browser(String runPage) throws Exception {
        Path profile = Files.createTempDirectory("yardstick-bench-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--user-data-dir=" + profile);
        WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
        try {
            List<Double> draw = new ArrayList<>();
            List<Double> fetch = new ArrayList<>();
            List<Double> redraw = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                browser.get(runPage);
                Map<String, Object> c = HistoryUiBrowserTest.drawnChart(browser, ".chart[data-key=loss]");
                if (i >= 2) {
                    draw.add(((Number) c.get("drawMs")).doubleValue());
                    fetch.add(((Number) c.get("fetchMs")).doubleValue());
                }
                // A control change redraws from the data already fetched (smoothing over every point).
                ((JavascriptExecutor) browser).executeScript("var s = document.getElementById('smoothing'); s.value = '0.6';"
                        + " s.dispatchEvent(new Event('input'));");
                c = HistoryUiBrowserTest.drawnChart(browser, ".chart[data-key=loss]");
                if (i >= 2) {
                    redraw.add(((Number) c.get("drawMs")).doubleValue());
                }
            }
            row("chart of a 100,000-point metric, fetch + parse in Chromium (median)", median(fetch) + " ms", "");
            row("chart of a 100,000-point metric, draw in Chromium (median)", median(draw) + " ms", "<= 200 ms");
            row("  redraw after a control change (smoothing)", median(redraw) + " ms", "");
            row("  fetch + draw together", Math.round(median(fetch) + median(draw)) + " ms", "<= 200 ms");
        } finally {
            browser.quit();
            TestFiles.deleteTree(profile);
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return Math.round(s.get(s.size() / 2) * 10) / 10.0;
    }
}
