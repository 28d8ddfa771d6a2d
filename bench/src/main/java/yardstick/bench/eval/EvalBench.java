package yardstick.bench.eval;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import yardstick.kernel.bench.Bench;
import yardstick.kernel.display.Png;
import yardstick.magics.eval.Score;
import yardstick.magics.eval.Scorer;
import yardstick.magics.eval.Scorers;
import yardstick.magics.eval.stats.Agreement;
import yardstick.magics.eval.stats.Bootstrap;
import yardstick.magics.eval.stats.BradleyTerry;
import yardstick.magics.plot.Plots;

/**
 * The eval and plot numbers issue 7 asks for, printed as a table: each case warmed up, then the median of several
 * timed runs. {@code java -cp ... yardstick.bench.eval.EvalBench}
 */
public final class EvalBench implements Bench {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String arguments() {
        return "";
    }

    @Override
    public String summary() {
        return "eval statistics and charts";
    }

    @Override
    public int run(List<String> args) throws Exception {
        main(args.toArray(String[]::new));
        return 0;
    }

    public EvalBench() {}  // a Bench service

    record Row(String what, double ms, double limitMs, String note) {}

    public static void main(String[] args) throws Exception {
        List<Row> rows = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(1);

        int models = 20, n = 50_000;
        double[] truth = new double[models];
        for (int i = 0; i < models; i++) truth[i] = (i - models / 2.0) / 5;
        BradleyTerry.Battle[] battles = new BradleyTerry.Battle[n];
        for (int t = 0; t < n; t++) {
            int a = rnd.nextInt(models), b;
            do b = rnd.nextInt(models); while (b == a);
            double p = 1 / (1 + Math.exp(truth[b] - truth[a])), u = rnd.nextDouble();
            battles[t] = new BradleyTerry.Battle(a, b, u < 0.1 ? 0.5 : rnd.nextDouble() < p ? 1 : 0);
        }
        BradleyTerry.Fit[] fit = new BradleyTerry.Fit[1];
        rows.add(new Row("Bradley-Terry fit, 20 models, 50,000 battles", time(5, () -> fit[0] = BradleyTerry.fit(models, battles)), 1000,
                fit[0].iterations() + " MM iterations"));
        rows.add(new Row("Bradley-Terry bootstrap, 1,000 rounds of 50,000 battles", time(3, () -> BradleyTerry.bootstrap(models, battles, 1000, 7)),
                5000, Runtime.getRuntime().availableProcessors() + " cores"));
        int items = 1000;
        int[] h = new int[items], j = new int[items];
        for (int i = 0; i < items; i++) {
            h[i] = 1 + rnd.nextInt(5);
            j[i] = Math.max(1, Math.min(5, h[i] + rnd.nextInt(3) - 1));
        }
        rows.add(new Row("bootstrap 1,000 rounds: kappa + Spearman + exact, 1,000 items", time(3, () -> {
            Bootstrap b = Bootstrap.standard();
            b.interval(items, idx -> Agreement.quadraticKappa(h, j, 1, 5, idx));
            b.interval(items, idx -> Agreement.spearman(h, j, idx));
            b.interval(items, idx -> Agreement.exactAgreement(h, j, idx));
        }), 5000, ""));

        Path schema = Files.createTempFile("bench-schema", ".json");
        Files.writeString(schema, "{\"type\":\"object\",\"required\":[\"answer\"],\"properties\":{\"answer\":{\"type\":\"string\"}}}");
        List<Scorer> scorers = Scorers.parse("exact,contains,regex:\\b[A-Z][a-z]+\\b,json,json:" + schema.getFileName() + ",rouge",
                new Scorers.Context(schema.getParent(), List.of("answer"), null, () -> null));
        List<Map<String, String>> evalRows = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String[] words = "the quick brown fox jumps over a lazy dog near Paris while Berlin sleeps under grey skies".split(" ");
        for (int i = 0; i < 1000; i++) {
            StringBuilder ref = new StringBuilder(), out = new StringBuilder();
            for (int w = 0; w < 30; w++) ref.append(words[rnd.nextInt(words.length)]).append(' ');
            for (int w = 0; w < 30; w++) out.append(words[rnd.nextInt(words.length)]).append(' ');
            evalRows.add(Map.of("answer", ref.toString().strip()));
            outputs.add(i % 3 == 0 ? "{\"answer\": \"" + out.toString().strip() + "\"}" : out.toString().strip());
        }
        rows.add(new Row("score 1,000 rows: exact, contains, regex, json, json schema, ROUGE-L", time(5, () -> {
            for (Scorer s : scorers) {
                List<Score> r = s.scoreAll(evalRows, outputs);
                if (r.size() != 1000) throw new AssertionError();
            }
        }), 1000, "embedding similarity excluded"));
        Files.deleteIfExists(schema);

        rows.add(new Row("line chart, 10,000 points -> PNG (LTTB to 800)", time(10, () -> png(Plots.line(series(10_000), "x", "y"))), 100, ""));
        rows.add(new Row("line chart, 10,000 points -> PNG (LTTB to 800, ImageIO encoder)", time(10, () -> imageIoPng(Plots.line(series(10_000), "x", "y"))), Double.NaN, "the encoder before Png"));
        rows.add(new Row("line chart, 10,000 points -> PNG (raw XChart)", time(5, () -> imageIoPng(raw(series(10_000)))), Double.NaN, "no limit: the baseline"));
        Table million = series(1_000_000);
        rows.add(new Row("line chart, 1,000,000 points -> PNG (LTTB to 800)", time(5, () -> png(Plots.line(million, "x", "y"))), 500, ""));

        System.out.println(String.format(Locale.ROOT, "%-68s %10s %10s  %s", "case", "median ms", "limit ms", "note"));
        for (Row r : rows) {
            System.out.println(String.format(Locale.ROOT, "%-68s %10.1f %10s  %s%s", r.what(), r.ms(),
                    Double.isNaN(r.limitMs()) ? "-" : String.format(Locale.ROOT, "%.0f", r.limitMs()),
                    Double.isNaN(r.limitMs()) ? "" : r.ms() <= r.limitMs() ? "ok " : "OVER ", r.note()));
        }
    }

    static Table series(int n) {
        double[] x = new double[n], y = new double[n];
        SplittableRandom r = new SplittableRandom(2);
        double v = 0;
        for (int i = 0; i < n; i++) {
            x[i] = i;
            v += r.nextGaussian();
            y[i] = v;
        }
        return Table.create("s", DoubleColumn.create("x", x), DoubleColumn.create("y", y));
    }

    static XYChart raw(Table t) {
        XYChart c = new XYChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT).build();
        c.addSeries("y", t.doubleColumn("x").asDoubleArray(), t.doubleColumn("y").asDoubleArray()).setMarker(SeriesMarkers.NONE);
        return c;
    }

    /** As the kernel displays a chart: XChart draws it, {@link Png} encodes it. */
    static void png(XYChart c) {
        if (Png.chart(c).length < 100) throw new AssertionError("no image");
    }

    static void imageIoPng(XYChart c) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(c, out, BitmapEncoder.BitmapFormat.PNG);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Median wall time in ms of {@code runs} runs after two warm-up runs. */
    static double time(int runs, Runnable r) {
        r.run();
        r.run();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms[runs / 2];
    }

}
