package yardstick.tracker.model;

import java.util.List;

/** A run with its data: the latest value of each metric, its params, tags and dataset inputs. */
public record Run(RunInfo info, List<Metric> latestMetrics, List<Param> params, List<Tag> tags, List<DatasetInput> inputs) {
    public Run {
        latestMetrics = List.copyOf(latestMetrics);
        params = List.copyOf(params);
        tags = List.copyOf(tags);
        inputs = List.copyOf(inputs);
    }
}
