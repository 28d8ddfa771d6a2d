package yardstick.tracker.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Run;
import yardstick.tracker.ui.Views.Crumb;

/**
 * What the compare page shows of a few runs: their params and final metric values side by side with differences
 * marked, a scatter of any two numeric columns (drawn in the browser from the table), parallel coordinates of every
 * numeric column that differs (an SVG drawn here), and each metric's histories.
 */
public record ComparePage(List<Crumb> crumbs, List<Run> runs, List<Row> params, List<Row> metrics, Parallel parallel,
        List<Views.Entry> charts) {

    static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22", "#17becf"};

    /** A compared key: each run's value as shown ("" for none), the number when it is one, which cells to mark. */
    public record Row(String group, String key, List<String> shown, List<Double> numbers, boolean differs, int best, int worst) {
        public String id() {
            return group + "." + key;
        }

        /** The cell's class: highest and lowest of a differing metric are marked, other differing cells tinted. */
        public String cellClass(int i) {
            if (!differs) {
                return null;
            }
            return i == best ? "diff high" : i == worst ? "diff low" : "diff";
        }

        public String number(int i) {
            Double d = numbers.get(i);
            return d == null ? null : Double.toString(d);
        }

        boolean numeric() {
            return numbers.stream().filter(java.util.Objects::nonNull).count() >= 2;
        }
    }

    /** Parallel coordinates: one vertical axis per column, one polyline per run. */
    public record Parallel(int width, int height, List<Axis> axes, List<Line> lines) {}

    public record Axis(String label, double x, String top, String bottom) {}

    public record Line(String run, String color, String points) {}

    static ComparePage of(List<Crumb> crumbs, List<Run> runs, List<Views.Entry> charts) {
        Set<String> paramKeys = new TreeSet<>();
        Set<String> metricKeys = new TreeSet<>();
        runs.forEach(r -> r.params().forEach(p -> paramKeys.add(p.key())));
        runs.forEach(r -> r.latestMetrics().forEach(m -> metricKeys.add(m.key())));
        List<Row> params = new ArrayList<>();
        for (String key : paramKeys) {
            params.add(row("params", key, runs.stream().map(r -> r.params().stream().filter(p -> p.key().equals(key))
                    .map(Param::value).findFirst().orElse(null)).toList(), false));
        }
        List<Row> metrics = new ArrayList<>();
        for (String key : metricKeys) {
            metrics.add(row("metrics", key, runs.stream().map(r -> r.latestMetrics().stream().filter(m -> m.key().equals(key))
                    .map(m -> Double.toString(m.value())).findFirst().orElse(null)).toList(), true));
        }
        List<Row> axes = new ArrayList<>();
        params.stream().filter(r -> r.differs() && r.numeric()).forEach(axes::add);
        metrics.stream().filter(Row::numeric).forEach(axes::add);
        return new ComparePage(crumbs, runs, params, metrics, parallel(runs, axes), charts);
    }

    private static Row row(String group, String key, List<String> raw, boolean metric) {
        List<String> shown = new ArrayList<>();
        List<Double> numbers = new ArrayList<>();
        for (String v : raw) {
            Double d = parse(v);
            numbers.add(d);
            shown.add(v == null ? "" : metric && d != null ? Format.shortNumber(d) : v);
        }
        boolean differs = raw.stream().distinct().count() > 1;
        int best = -1;
        int worst = -1;
        if (metric && differs) {
            for (int i = 0; i < numbers.size(); i++) {
                Double d = numbers.get(i);
                if (d == null || !Double.isFinite(d)) {
                    continue;
                }
                if (best < 0 || d > numbers.get(best)) {
                    best = i;
                }
                if (worst < 0 || d < numbers.get(worst)) {
                    worst = i;
                }
            }
        }
        return new Row(group, key, shown, numbers, differs, best, worst);
    }

    private static Double parse(String v) {
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.strip());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Parallel parallel(List<Run> runs, List<Row> columns) {
        int gap = 140;
        int top = 30;
        int plotHeight = 220;
        int width = Math.max(2, columns.size()) * gap;
        List<Axis> axes = new ArrayList<>();
        double[] min = new double[columns.size()];
        double[] max = new double[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            min[c] = columns.get(c).numbers().stream().filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).min().orElse(0);
            max[c] = columns.get(c).numbers().stream().filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).max().orElse(1);
            axes.add(new Axis(columns.get(c).id(), gap / 2.0 + c * gap, Format.shortNumber(max[c]), Format.shortNumber(min[c])));
        }
        List<Line> lines = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            StringBuilder pts = new StringBuilder();
            for (int c = 0; c < columns.size(); c++) {
                Double v = columns.get(c).numbers().get(r);
                if (v == null) {
                    continue;
                }
                double span = max[c] - min[c];
                double y = top + plotHeight - (span == 0 ? 0.5 : (v - min[c]) / span) * plotHeight;
                pts.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", axes.get(c).x(), y));
            }
            lines.add(new Line(runs.get(r).info().runName(), COLORS[r % COLORS.length], pts.toString().strip()));
        }
        return new Parallel(width, top + plotHeight + 30, axes, lines);
    }

    /** The run's color, the same in every view of the page. */
    public String color(int i) {
        return COLORS[i % COLORS.length];
    }
}
