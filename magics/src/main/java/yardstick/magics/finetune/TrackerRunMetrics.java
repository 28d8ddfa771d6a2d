package yardstick.magics.finetune;

import java.util.HashMap;
import java.util.Map;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import yardstick.magics.finetune.job.RunMetrics;

/** A command job's progress as its run holds it, read with one {@code runs/get} (latest points only). */
final class TrackerRunMetrics implements RunMetrics {
    private final MlflowClient client;
    private final String runId;

    TrackerRunMetrics(MlflowClient client, String runId) {
        this.client = client;
        this.runId = runId;
    }

    @Override
    public Snapshot read() {
        Service.RunData data = client.getRun(runId).getData();
        Map<String, Latest> metrics = new HashMap<>();
        for (Service.Metric m : data.getMetricsList()) {
            metrics.put(m.getKey(), new Latest(m.getValue(), m.getStep(), m.getTimestamp()));
        }
        Map<String, String> params = new HashMap<>();
        for (Service.Param p : data.getParamsList()) params.put(p.getKey(), p.getValue());
        return new Snapshot(metrics, params);
    }
}
