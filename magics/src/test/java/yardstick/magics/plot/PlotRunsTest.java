package yardstick.magics.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import yardstick.kernel.magic.Environment;
import yardstick.magics.TestNotebook;
import yardstick.magics.YardstickHome;
import yardstick.magics.track.Tracking;

/** {@code %plot runs} in a real notebook session, over runs logged to the embedded tracker. */
class PlotRunsTest {
    @TempDir
    static Path home;
    static TestNotebook nb;
    static final List<String> SETTINGS = List.of("YARDSTICK_TRACKING", "MLFLOW_TRACKING_URI", "MLFLOW_EXPERIMENT_NAME");
    static final Map<String, String> before = new HashMap<>();

    @BeforeAll
    static void start() {
        System.setProperty(YardstickHome.PROPERTY, home.toString());
        Environment env = Environment.shared();
        for (String k : SETTINGS) before.put(k, env.get(k) == null ? "" : env.get(k));
        env.set("YARDSTICK_TRACKING", "on");
        env.set("MLFLOW_TRACKING_URI", "");  // the embedded tracker, under the home
        nb = new TestNotebook(home);
    }

    @AfterAll
    static void stop() {
        Tracking.reset();
        nb.close();
        before.forEach(Environment.shared()::set);
        System.clearProperty(YardstickHome.PROPERTY);
    }

    /** Tracking afresh into its own experiment of the embedded tracker. */
    static void experiment(String name) {
        Environment.shared().set("MLFLOW_EXPERIMENT_NAME", name);
        Tracking.reset();
    }

    /** A run started and ended with %run, logging params and metrics from Java as a cell would. */
    static void run(String name, Map<String, String> params, Map<String, Double> metrics) {
        nb.ok("%run start " + name);
        StringBuilder cell = new StringBuilder();
        params.forEach((k, v) -> cell.append("yardstick.magics.track.Runs.log(\"").append(k).append("\", \"").append(v).append("\");\n"));
        metrics.forEach((k, v) -> cell.append("yardstick.magics.track.Runs.log(\"").append(k).append("\", ").append(v).append(");\n"));
        if (!cell.isEmpty()) nb.ok(cell.toString());
        nb.ok("%run end");
    }

    @Test
    void aMetricAcrossRunsOldestFirstAndByAParam() {
        experiment("plot-runs");
        run("a", Map.of("lr", "0.1"), Map.of("acc", 0.70));
        // Logged twice: the run's latest value is the one plotted.
        nb.ok("%run start b");
        nb.ok("yardstick.magics.track.Runs.log(\"lr\", \"0.01\"); yardstick.magics.track.Runs.log(\"acc\", 0.5, 0); "
                + "yardstick.magics.track.Runs.log(\"acc\", 0.85, 1);");
        nb.ok("%run end");
        run("c", Map.of("lr", "0.001"), Map.of("acc", 0.80));
        run("d", Map.of("lr", "0.01"), Map.of("acc", 0.87));
        run("e", Map.of("lr", "0.5", "warmup", "100"), Map.of("loss", 2.0));
        run("f", Map.of(), Map.of("acc", 0.60));

        XYChart across = (XYChart) nb.ok("%plot runs --metric acc");
        assertEquals("acc across runs", across.getTitle());
        assertEquals(List.of("all"), List.copyOf(across.getSeriesMap().keySet()));
        XYSeries s = across.getSeriesMap().get("all");
        assertArrayEquals(new double[] {1, 2, 3, 4, 5}, s.getXData(), "runs without the metric are left out");
        assertArrayEquals(new double[] {0.70, 0.85, 0.80, 0.87, 0.60}, s.getYData(), 1e-12, "in the order the runs were made");

        CategoryChart byLr = (CategoryChart) nb.ok("%plot runs --metric acc --by lr");
        assertEquals("acc by lr", byLr.getTitle());
        var bars = byLr.getSeriesMap().get("all");
        assertEquals(List.of("0.1", "0.01", "0.001"), List.copyOf(bars.getXData()), "one bar per value, runs without lr left out");
        List<Double> means = bars.getYData().stream().map(Number::doubleValue).toList();
        assertEquals(0.70, means.get(0), 1e-12);
        assertEquals((0.85 + 0.87) / 2, means.get(1), 1e-12, "two runs with lr 0.01: their mean");
        assertEquals(0.80, means.get(2), 1e-12);

        assertEquals("%plot: no run of this experiment has a metric 'f1'", nb.fails("%plot runs --metric f1"));
        assertEquals("%plot: no run with metric 'acc' has a param 'batch'", nb.fails("%plot runs --metric acc --by batch"));
        assertEquals("%plot: no run with metric 'acc' has a param 'warmup'", nb.fails("%plot runs --metric acc --by warmup"));
        assertEquals("%plot: --max must be at least 1, not 0", nb.fails("%plot runs --metric acc --max 0"));
        assertEquals("%plot: %plot runs needs the metric to plot: --metric NAME [--by PARAM]", nb.fails("%plot runs"));
    }

    @Test
    void anExperimentWithoutRunsOrWithTrackingOffSaysSo() {
        experiment("plot-nothing-yet");
        assertEquals("%plot: experiment plot-nothing-yet has no runs yet", nb.fails("%plot runs --metric acc"));
        Environment.shared().set("YARDSTICK_TRACKING", "off");
        Tracking.reset();
        try {
            assertEquals("%plot: tracking is off (YARDSTICK_TRACKING=off)", nb.fails("%plot runs --metric acc"));
        } finally {
            Environment.shared().set("YARDSTICK_TRACKING", "on");
        }
    }
}
