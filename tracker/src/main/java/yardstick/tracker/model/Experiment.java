package yardstick.tracker.model;

import java.util.List;

/** An experiment: a named group of runs with a default artifact location. */
public record Experiment(
        String experimentId,
        String name,
        String artifactLocation,
        LifecycleStage lifecycleStage,
        long creationTime,
        long lastUpdateTime,
        List<Tag> tags) {
    public Experiment {
        tags = List.copyOf(tags);
    }
}
