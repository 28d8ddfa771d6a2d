package yardstick.magics.track;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * Logging from cells, to the current run (the one started with {@code %run start}, else the session's):
 * {@code Runs.log("loss", 0.3, step)}, {@code Runs.log(Map.of("lr", 1e-4))}, {@code Runs.log("results", table)}.
 * Every call returns at once; records reach the tracker in the background.
 */
public final class Runs {
    private Runs() {}

    public static TrackedRun current() {
        return Tracking.global().current();
    }

    /** Starts a run (a child of the current one) that becomes current until {@link #end()}. */
    public static TrackedRun start(String name) {
        return Tracking.global().start(name);
    }

    /** Ends the innermost run started with {@link #start}. */
    public static void end() {
        if (!Tracking.global().endStarted("FINISHED")) throw new IllegalStateException("no run started with Runs.start is open");
    }

    /** A metric at step 0. */
    public static TrackedRun log(String key, double value) {
        return current().metric(key, value);
    }

    /** A metric at a step. */
    public static TrackedRun log(String key, double value, long step) {
        return current().metric(key, value, step);
    }

    /** A param. */
    public static TrackedRun log(String key, String value) {
        return current().param(key, value);
    }

    /** Params. */
    public static TrackedRun log(Map<String, ?> params) {
        return current().params(params);
    }

    /** A file or directory as an artifact. */
    public static TrackedRun log(Path artifact) {
        return current().artifact(artifact);
    }

    /** A table as the artifact {@code NAME.csv}. */
    public static TrackedRun log(String name, Table table) {
        return current().table(name, table);
    }

    /** A table as the artifact {@code NAME.csv} or {@code NAME.json}. */
    public static TrackedRun log(String name, Table table, String format) {
        return current().table(name, table, format);
    }

    public static TrackedRun tag(String key, String value) {
        return current().tag(key, value);
    }

    /** This notebook's runs, newest first: params and metrics as columns (see {@link RunTable}). */
    public static Table search(String filter, int max) {
        Tracking t = Tracking.global();
        t.flush(Duration.ofSeconds(5));
        return RunTable.search(t, filter, max);
    }

    /** Waits up to 5 s for queued records to reach the tracker; false when some are still on their way or on disk. */
    public static boolean flush() {
        return Tracking.global().flush(Duration.ofSeconds(5));
    }
}
