package yardstick.magics.track;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mlflow.api.proto.Service;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Runs as a table: one row a run, params and metrics (latest values) as columns. */
public final class RunTable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private RunTable() {}

    /** This experiment's runs matching an MLflow filter ({@code metrics.cost < 1 and params.model = 'x'}), newest first. */
    static Table search(Tracking t, String filter, int max) {
        if (max < 1) throw new IllegalArgumentException("--max must be at least 1, not " + max);
        List<Service.Run> runs;
        try {
            runs = RunSearch.search(t.uri(), t.authorization(), t.experimentId(), filter, max,
                    List.of("attributes.start_time DESC"));
        } catch (RunSearch.Refused e) {
            if (e.status == 400) throw new IllegalArgumentException("bad filter '" + filter + "': " + e.getMessage());
            throw new IllegalStateException("the tracker at " + t.trackerName() + " refused the search: " + e.status
                    + " " + e.getMessage());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the tracker at " + t.trackerName() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while searching runs", e);
        }
        return table(t.experimentName(), runs);
    }

    static Table table(String title, List<Service.Run> runs) {
        TreeSet<String> params = new TreeSet<>(), metrics = new TreeSet<>();
        for (Service.Run r : runs) {
            r.getData().getParamsList().forEach(p -> params.add(p.getKey()));
            r.getData().getMetricsList().forEach(m -> metrics.add(m.getKey()));
        }
        StringColumn id = StringColumn.create("run_id"), name = StringColumn.create("name"),
                status = StringColumn.create("status"), start = StringColumn.create("start"),
                parent = StringColumn.create("parent");
        DoubleColumn duration = DoubleColumn.create("duration_s");
        Map<String, StringColumn> paramCols = new TreeMap<>();
        for (String p : params) paramCols.put(p, StringColumn.create("params." + p));
        Map<String, DoubleColumn> metricCols = new TreeMap<>();
        for (String m : metrics) metricCols.put(m, DoubleColumn.create("metrics." + m));
        for (Service.Run r : runs) {
            Service.RunInfo info = r.getInfo();
            id.append(info.getRunId());
            name.append(info.getRunName());
            status.append(info.getStatus().name());
            start.append(TIME.format(Instant.ofEpochMilli(info.getStartTime())));
            if (info.getEndTime() > 0) duration.append((info.getEndTime() - info.getStartTime()) / 1000.0);
            else duration.appendMissing();
            String parentId = "";
            for (Service.RunTag tag : r.getData().getTagsList()) {
                if (tag.getKey().equals("mlflow.parentRunId")) parentId = tag.getValue();
            }
            parent.append(parentId);
            Map<String, String> pv = new TreeMap<>();
            r.getData().getParamsList().forEach(p -> pv.put(p.getKey(), p.getValue()));
            paramCols.forEach((k, c) -> c.append(pv.getOrDefault(k, "")));
            Map<String, Double> mv = new TreeMap<>();
            r.getData().getMetricsList().forEach(m -> mv.put(m.getKey(), m.getValue()));
            metricCols.forEach((k, c) -> {
                Double v = mv.get(k);
                if (v == null) c.appendMissing();
                else c.append(v);
            });
        }
        List<tech.tablesaw.columns.Column<?>> cols = new ArrayList<>(List.of(id, name, status, start, duration, parent));
        cols.addAll(paramCols.values());
        cols.addAll(metricCols.values());
        return Table.create(title, cols.toArray(new tech.tablesaw.columns.Column<?>[0]));
    }
}
