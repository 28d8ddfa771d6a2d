package yardstick.magics.track;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The calls the logger makes on a tracker; {@link Unreachable} means "try again later", anything else "rejected". */
interface TrackerBackend {
    /** The tracker could not be reached or was failing (connection refused, timeout, 5xx): keep the data for later. */
    final class Unreachable extends Exception {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A created run: its id and artifact URI. */
    record Created(String id, String artifactUri) {}

    Created createRun(String experimentName, String runName, long startTime, Map<String, String> tags) throws Unreachable;

    void logBatch(String runId, List<LogOp.Metric> metrics, List<LogOp.Param> params, List<LogOp.Tag> tags)
            throws Unreachable;

    void logInput(String runId, LogOp.Input input) throws Unreachable;

    void uploadArtifact(String runId, String artifactUri, Path file, String path) throws Unreachable, IOException;

    void endRun(String runId, String status, long endTime) throws Unreachable;

    String artifactUri(String runId) throws Unreachable;
}
