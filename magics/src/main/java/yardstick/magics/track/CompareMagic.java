package yardstick.magics.track;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %compare RUN_ID...}: which params differ, and each metric's history overlaid across the runs. */
public final class CompareMagic implements Magic {
    @Override
    public String name() {
        return "compare";
    }

    @Override
    public String usage() {
        return "%compare RUN_ID RUN_ID...";
    }

    @Override
    public String help() {
        return "Shows one chart per metric with every run's history overlaid (step on the x axis), and returns a "
                + "table of the params whose values differ between the runs (one column per run).";
    }

    @Override
    public Object run(MagicCall call) throws MagicException {
        List<String> ids = call.words();
        if (ids.size() < 2) throw new MagicException("give at least two run ids (%runs lists them)");
        Tracking t = Tracking.global();
        if (!t.enabled()) throw new MagicException("tracking is off (YARDSTICK_TRACKING=off)");
        t.flush(java.time.Duration.ofSeconds(5));
        Comparison c = compare(t, ids);
        for (XYChart chart : c.charts()) call.context().display(chart);
        if (c.params().rowCount() == 0) System.out.println("no param differs between these runs");
        return c.params();
    }

    /** The param differences and the metric charts of some runs. */
    public record Comparison(Table params, List<XYChart> charts) {}

    static Comparison compare(Tracking t, List<String> ids) throws MagicException {
        List<Service.Run> runs = new ArrayList<>();
        for (String id : ids) {
            try {
                runs.add(t.client().getRun(id));
            } catch (MlflowHttpException e) {
                if (e.getStatusCode() == 404 || e.getStatusCode() == 400) throw new MagicException("no run with id '" + id + "'");
                throw new MagicException("the tracker at " + t.trackerName() + " failed: " + MlflowBackend.message(e));
            } catch (MlflowClientException e) {
                throw new MagicException("the tracker at " + t.trackerName() + " is unreachable: " + MlflowBackend.message(e));
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Service.Run r : runs) {
            String id = r.getInfo().getRunId();
            String label = r.getInfo().getRunName() + " (" + id.substring(0, Math.min(8, id.length())) + ")";
            labels.put(id, labels.containsValue(label) ? label + " #" + labels.size() : label);
        }
        TreeSet<String> keys = new TreeSet<>();
        List<Map<String, String>> values = new ArrayList<>();
        for (Service.Run r : runs) {
            Map<String, String> m = new TreeMap<>();
            r.getData().getParamsList().forEach(p -> m.put(p.getKey(), p.getValue()));
            keys.addAll(m.keySet());
            values.add(m);
        }
        StringColumn param = StringColumn.create("param");
        List<StringColumn> cols = new ArrayList<>();
        for (String label : labels.values()) cols.add(StringColumn.create(label));
        for (String k : keys) {
            boolean differs = values.stream().map(m -> m.get(k)).distinct().count() > 1;
            if (!differs) continue;
            param.append(k);
            for (int i = 0; i < runs.size(); i++) cols.get(i).append(values.get(i).getOrDefault(k, "(unset)"));
        }
        Table table = Table.create("param differences", param);
        cols.forEach(table::addColumns);

        TreeSet<String> metricKeys = new TreeSet<>();
        runs.forEach(r -> r.getData().getMetricsList().forEach(m -> metricKeys.add(m.getKey())));
        List<XYChart> charts = new ArrayList<>();
        for (String key : metricKeys) {
            XYChart chart = new XYChartBuilder().width(640).height(360).title(key).xAxisTitle("step").yAxisTitle(key).build();
            for (Service.Run r : runs) {
                List<Service.Metric> history = t.client().getMetricHistory(r.getInfo().getRunId(), key);
                if (history.isEmpty()) continue;
                List<Service.Metric> sorted = new ArrayList<>(history);
                sorted.sort((a, b) -> a.getStep() != b.getStep() ? Long.compare(a.getStep(), b.getStep())
                        : Long.compare(a.getTimestamp(), b.getTimestamp()));
                double[] x = new double[sorted.size()], y = new double[sorted.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = sorted.get(i).getStep();
                    y[i] = sorted.get(i).getValue();
                }
                chart.addSeries(labels.get(r.getInfo().getRunId()), x, y);
            }
            charts.add(chart);
        }
        return new Comparison(table, charts);
    }
}
