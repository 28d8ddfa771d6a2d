package yardstick.magics.plot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import yardstick.tracker.ui.Lttb;

/**
 * Charts of Tablesaw tables with XChart, for {@code %plot} and for Java: {@code Plots.line(table, "step", "loss")}.
 * Charts display as PNG and SVG. Line charts with more points than the chart is pixels wide are reduced with
 * {@link Lttb} first, which keeps their shape and makes a million points render in well under a second.
 */
public final class Plots {
    public static final int WIDTH = 800, HEIGHT = 450;

    public enum Kind {
        LINE, BAR, SCATTER, BOX, HIST;

        public static Kind parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new PlotException("--kind is line, bar, scatter, box or hist, not '" + s + "'");
            }
        }
    }

    private Plots() {}

    public static Chart<?, ?> plot(Table t, Kind kind, String x, String y, String group, String title) {
        return switch (kind) {
            case LINE -> xy(t, x, y, group, title, false);
            case SCATTER -> xy(t, x, y, group, title, true);
            case BAR -> bar(t, x, y, group, title);
            case BOX -> box(t, x, y, group, title);
            case HIST -> hist(t, y != null ? y : x, group, title, 20);
        };
    }

    public static XYChart line(Table t, String x, String y) {
        return xy(t, x, y, null, null, false);
    }

    public static XYChart scatter(Table t, String x, String y) {
        return xy(t, x, y, null, null, true);
    }

    /** One series per group (all rows when {@code group} is null); lines are LTTB-reduced to the chart's width. */
    public static XYChart xy(Table t, String x, String y, String group, String title, boolean scatter) {
        numeric(t, x);
        numeric(t, y);
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title == null ? y + " by " + x : title)
                .xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setLegendVisible(group != null);
        for (Map.Entry<String, int[]> g : groups(t, group).entrySet()) {
            double[][] pts = points(t, x, y, g.getValue());
            double[][] shown = scatter ? pts : Lttb.downsample(pts[0], pts[1], WIDTH);
            XYSeries s = c.addSeries(g.getKey(), shown[0], shown[1]);
            if (scatter) s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            else s.setMarker(SeriesMarkers.NONE);
        }
        return c;
    }

    /** Bars of {@code y} per category of {@code x} (the mean when a category has several rows), grouped side by side. */
    public static CategoryChart bar(Table t, String x, String y, String group, String title) {
        column(t, x);
        numeric(t, y);
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title == null ? y + " by " + x : title)
                .xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setLegendVisible(group != null);
        List<String> categories = new ArrayList<>();
        for (int r = 0; r < t.rowCount(); r++) if (!categories.contains(t.column(x).getString(r))) categories.add(t.column(x).getString(r));
        for (Map.Entry<String, int[]> g : groups(t, group).entrySet()) {
            Map<String, double[]> sums = new LinkedHashMap<>();
            for (String cat : categories) sums.put(cat, new double[2]);
            NumericColumn<?> ys = (NumericColumn<?>) t.column(y);
            for (int r : g.getValue()) {
                if (ys.isMissing(r)) continue;
                double[] s = sums.get(t.column(x).getString(r));
                s[0] += ys.getDouble(r);
                s[1]++;
            }
            List<Double> means = new ArrayList<>();
            for (double[] s : sums.values()) means.add(s[1] == 0 ? 0 : s[0] / s[1]);
            c.addSeries(g.getKey(), categories, means);
        }
        return c;
    }

    /** A box per group (or one box per {@code y} when there is no group). */
    public static BoxChart box(Table t, String x, String y, String group, String title) {
        String value = y != null ? y : x;
        numeric(t, value);
        String by = group != null ? group : y != null && x != null ? x : null;
        BoxChart c = new BoxChartBuilder().width(WIDTH).height(HEIGHT).title(title == null ? value + (by == null ? "" : " by " + by) : title)
                .yAxisTitle(value).build();
        for (Map.Entry<String, int[]> g : groups(t, by).entrySet()) {
            double[][] p = points(t, null, value, g.getValue());
            if (p[1].length > 0) c.addSeries(g.getKey(), p[1]);
        }
        return c;
    }

    /** A histogram of a numeric column in {@code bins} equal-width bins, one series per group. */
    public static CategoryChart hist(Table t, String column, String group, String title, int bins) {
        numeric(t, column);
        NumericColumn<?> col = (NumericColumn<?>) t.column(column);
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < t.rowCount(); r++) {
            if (col.isMissing(r)) continue;
            min = Math.min(min, col.getDouble(r));
            max = Math.max(max, col.getDouble(r));
        }
        if (min > max) throw new PlotException("column " + column + " has no values to plot");
        double width = max > min ? (max - min) / bins : 1;
        List<String> labels = new ArrayList<>();
        for (int b = 0; b < bins; b++) labels.add(String.format(Locale.ROOT, "%.3g", min + (b + 0.5) * width));
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title == null ? column : title)
                .xAxisTitle(column).yAxisTitle("count").build();
        c.getStyler().setLegendVisible(group != null);
        c.getStyler().setOverlapped(true);
        c.getStyler().setXAxisLabelRotation(45);
        for (Map.Entry<String, int[]> g : groups(t, group).entrySet()) {
            List<Integer> counts = new ArrayList<>();
            for (int b = 0; b < bins; b++) counts.add(0);
            for (int r : g.getValue()) {
                if (col.isMissing(r)) continue;
                int b = (int) Math.min(bins - 1, Math.floor((col.getDouble(r) - min) / width));
                counts.set(b, counts.get(b) + 1);
            }
            c.addSeries(g.getKey(), labels, counts);
        }
        return c;
    }

    private static Map<String, int[]> groups(Table t, String group) {
        Map<String, List<Integer>> g = new LinkedHashMap<>();
        if (group == null) {
            int[] all = new int[t.rowCount()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            return Map.of("all", all);
        }
        Column<?> c = column(t, group);
        for (int r = 0; r < t.rowCount(); r++) g.computeIfAbsent(c.getString(r), k -> new ArrayList<>()).add(r);
        Map<String, int[]> out = new LinkedHashMap<>();
        g.forEach((k, v) -> out.put(k.isEmpty() ? "(none)" : k, v.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /** The rows' (x, y) pairs with both present, in row order; x is the row number when {@code x} is null. */
    private static double[][] points(Table t, String x, String y, int[] rows) {
        NumericColumn<?> xs = x == null ? null : (NumericColumn<?>) t.column(x), ys = (NumericColumn<?>) t.column(y);
        double[] px = new double[rows.length], py = new double[rows.length];
        int n = 0;
        for (int r : rows) {
            if (ys.isMissing(r) || xs != null && xs.isMissing(r)) continue;
            px[n] = xs == null ? r : xs.getDouble(r);
            py[n] = ys.getDouble(r);
            n++;
        }
        return new double[][] {java.util.Arrays.copyOf(px, n), java.util.Arrays.copyOf(py, n)};
    }

    private static Column<?> column(Table t, String name) {
        if (name == null) throw new PlotException("name the column to plot");
        if (!t.columnNames().contains(name)) throw new PlotException("the table has no column '" + name + "'; it has " + t.columnNames());
        return t.column(name);
    }

    private static void numeric(Table t, String name) {
        if (!(column(t, name) instanceof NumericColumn<?>)) {
            throw new PlotException("column '" + name + "' is " + t.column(name).type().name().toLowerCase(Locale.ROOT) + ", not numbers");
        }
    }
}
