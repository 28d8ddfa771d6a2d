package yardstick.tracker.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import yardstick.tracker.model.MetricSeries;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.Run;
import yardstick.tracker.server.JsonCodec;
import yardstick.tracker.store.TrackerStore;

/**
 * The JSON the pages' charts fetch: one metric's history for each of some runs, each series reduced by {@link Lttb}
 * to at most {@link #MAX_POINTS} points, which keeps its peaks and shape at the width any chart has.
 */
final class MetricData {
    static final String PATH = "/ui-api/metric-history";
    static final int MAX_POINTS = 2000;
    static final int MAX_RUNS = 50;

    private final TrackerStore store;

    MetricData(TrackerStore store) {
        this.store = store;
    }

    /** {@code {"key":K,"series":[{"run_id","run_name","total","steps":[],"timestamps":[],"values":[]}]}}; non-finite values are left out. */
    Pages.Response get(ObjectNode query) {
        String key = Pages.text(query, "key");
        List<String> runIds = new ArrayList<>(new LinkedHashSet<>(Pages.list(query, "run")));
        if (key == null || key.isEmpty() || runIds.isEmpty()) {
            throw MlflowException.invalidParameter("Name a metric (key) and at least one run (run)");
        }
        if (runIds.size() > MAX_RUNS) {
            throw MlflowException.invalidParameter("At most " + MAX_RUNS + " runs per chart; got " + runIds.size());
        }
        int maxPoints = MAX_POINTS;
        String asked = Pages.text(query, "max_points");
        if (asked != null) {
            try {
                maxPoints = Math.max(3, Math.min(MAX_POINTS, Integer.parseInt(asked)));
            } catch (NumberFormatException e) {
                throw MlflowException.invalidParameter("max_points must be a whole number");
            }
        }
        ObjectNode out = JsonCodec.MAPPER.createObjectNode();
        out.put("key", key);
        ArrayNode series = out.putArray("series");
        for (String runId : runIds) {
            Run run = store.getRun(runId);
            series.add(series(run, store.getMetricSeries(runId, key), maxPoints));
        }
        try {
            return new Pages.Response(200, "application/json", JsonCodec.MAPPER.writeValueAsBytes(out),
                    Map.of("Cache-Control", "no-store"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode series(Run run, MetricSeries points, int maxPoints) {
        // Steps may repeat (a metric logged twice at one step): the index keeps x strictly ordered for LTTB.
        double[] x = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        int[] keep = Lttb.select(x, points.values(), maxPoints);
        ObjectNode s = JsonCodec.MAPPER.createObjectNode();
        s.put("run_id", run.info().runId());
        s.put("run_name", run.info().runName());
        s.put("total", points.total());
        ArrayNode steps = s.putArray("steps");
        ArrayNode times = s.putArray("timestamps");
        ArrayNode values = s.putArray("values");
        for (int i : keep) {
            steps.add(points.steps()[i]);
            times.add(points.timestamps()[i]);
            values.add(points.values()[i]);
        }
        return s;
    }
}
