package yardstick.tracker.ui;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import yardstick.tracker.model.Metric;

/** Draws metric histories as SVG line charts with XChart, on the server. */
final class Charts {
    /** More points than a chart this size can show only cost bytes: longer histories are thinned. */
    static final int MAX_POINTS_PER_SERIES = 1000;

    record Series(String name, List<Metric> points) {}

    private Charts() {}

    static String lineChart(String title, List<Series> series, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("step").yAxisTitle(title).build();
        chart.getStyler().setLegendVisible(series.size() > 1);
        // XChart draws every glyph as a path; the page heading already names the chart, so only tick labels stay.
        chart.getStyler().setChartTitleVisible(false);
        chart.getStyler().setAxisTitlesVisible(false);
        chart.getStyler().setMarkerSize(series.stream().mapToInt(s -> s.points().size()).max().orElse(0) > 50 ? 0 : 4);
        int drawn = 0;
        for (Series s : series) {
            List<Metric> pts = thin(finitePoints(s.points()));
            if (pts.isEmpty()) {
                continue;
            }
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                x[i] = pts.get(i).step();
                y[i] = pts.get(i).value();
            }
            XYSeries xy = chart.addSeries(uniqueName(chart, s.name()), x, y);
            if (pts.size() > 50) {
                xy.setMarker(SeriesMarkers.NONE);
            }
            drawn++;
        }
        if (drawn == 0) {
            // Nothing drawable (e.g. only NaN): say so instead of an empty frame.
            return "<p class=\"empty-chart\">No finite values to draw.</p>";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String svg = out.toString(StandardCharsets.UTF_8);
        // Inline SVG must not carry its own XML prolog or doctype.
        int start = svg.indexOf("<svg");
        return start < 0 ? svg : svg.substring(start);
    }

    private static String uniqueName(XYChart chart, String name) {
        String candidate = name;
        int n = 2;
        while (chart.getSeriesMap().containsKey(candidate)) {
            candidate = name + " (" + n++ + ")";
        }
        return candidate;
    }

    private static List<Metric> finitePoints(List<Metric> points) {
        List<Metric> out = new ArrayList<>(points.size());
        for (Metric m : points) {
            if (Double.isFinite(m.value())) {
                out.add(m);
            }
        }
        return out;
    }

    static List<Metric> thin(List<Metric> points) {
        if (points.size() <= MAX_POINTS_PER_SERIES) {
            return points;
        }
        List<Metric> out = new ArrayList<>(MAX_POINTS_PER_SERIES);
        double stride = (points.size() - 1) / (double) (MAX_POINTS_PER_SERIES - 1);
        for (int i = 0; i < MAX_POINTS_PER_SERIES; i++) {
            out.add(points.get((int) Math.round(i * stride)));
        }
        return out;
    }
}
