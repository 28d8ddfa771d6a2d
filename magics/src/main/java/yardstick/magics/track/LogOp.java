package yardstick.magics.track;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/**
 * One thing to tell the tracker, queued in memory and, while the tracker is unreachable, written to disk as a JSON
 * line. Runs are named by a local id that this session chose, so runs can be opened and logged to before the
 * tracker has assigned their real ids.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LogOp.CreateRun.class, name = "create"),
    @JsonSubTypes.Type(value = LogOp.Bind.class, name = "bind"),
    @JsonSubTypes.Type(value = LogOp.Metric.class, name = "metric"),
    @JsonSubTypes.Type(value = LogOp.Param.class, name = "param"),
    @JsonSubTypes.Type(value = LogOp.Tag.class, name = "tag"),
    @JsonSubTypes.Type(value = LogOp.Input.class, name = "input"),
    @JsonSubTypes.Type(value = LogOp.Artifact.class, name = "artifact"),
    @JsonSubTypes.Type(value = LogOp.EndRun.class, name = "end")
})
sealed interface LogOp {
    String run();

    /** Opens a run in the named experiment, as a child of {@code parent} (a local id) when that is non-null. */
    record CreateRun(String run, String parent, String experiment, String name, long startTime, Map<String, String> tags)
            implements LogOp {}

    /** Records that a local id already has a tracker id: written to disk so another session can replay the rest. */
    record Bind(String run, String trackerId, String artifactUri) implements LogOp {}

    record Metric(String run, String key, double value, long step, long timestamp) implements LogOp {}

    record Param(String run, String key, String value) implements LogOp {}

    record Tag(String run, String key, String value) implements LogOp {}

    /** A data set the run read, by content digest (MLflow's run inputs). */
    record Input(String run, String name, String digest, String sourceType, String source, String schema,
            String profile, String context) implements LogOp {}

    /** A file copied aside at log time, uploaded under {@code path} in the run's artifacts and then deleted. */
    record Artifact(String run, String file, String path) implements LogOp {}

    record EndRun(String run, String status, long endTime) implements LogOp {}
}
