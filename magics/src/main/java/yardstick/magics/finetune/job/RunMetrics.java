package yardstick.magics.finetune.job;

import java.util.Map;

/**
 * Where a command job's progress is read: the latest value of each metric its trainer logged to its run, and the run's
 * params, as the tracker holds them. One call is one request, whatever the length of the metrics' histories.
 */
public interface RunMetrics {
    /** One metric's latest point. */
    record Latest(double value, long step, long timestamp) {}

    /** The run's metrics (latest point of each) and params now. */
    record Snapshot(Map<String, Latest> metrics, Map<String, String> params) {}

    Snapshot read();
}
