package yardstick.magics.track;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A run being logged: params, metrics (with steps), tags, artifacts and the data sets it read. Every call returns at
 * once; the records reach the tracker in the background (see {@link Tracking}). Closing it ends the run.
 */
public final class TrackedRun implements AutoCloseable {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-. /]{1,250}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Tracking tracking;
    final String local;
    private final String name;
    private volatile boolean ended;

    TrackedRun(Tracking tracking, String local, String name) {
        this.tracking = tracking;
        this.local = local;
        this.name = name;
    }

    /** The tracker's run id, waiting up to 10 s for the tracker to create the run; null when tracking is off. */
    public String id() {
        if (!tracking.enabled()) return null;
        try {
            return tracking.logger().created(local, Duration.ofSeconds(10)).id();
        } catch (TimeoutException e) {
            throw new IllegalStateException("run '" + name + "' has no id yet: the tracker at " + tracking.trackerName()
                    + " has not answered; its records are kept and sent when it does");
        }
    }

    public String name() {
        return name;
    }

    /** The run's page in the tracker's UI. */
    public String url() {
        String id = id();
        return id == null ? null : tracking.trackerName() + "/#/experiments/" + tracking.experimentId() + "/runs/" + id;
    }

    public TrackedRun param(String key, Object value) {
        String v = String.valueOf(value);
        tracking.submit(new LogOp.Param(local, key(key), v.length() > 6000 ? v.substring(0, 6000) : v));
        return this;
    }

    public TrackedRun params(Map<String, ?> params) {
        params.forEach(this::param);
        return this;
    }

    public TrackedRun metric(String key, double value) {
        return metric(key, value, 0);
    }

    public TrackedRun metric(String key, double value, long step) {
        tracking.submit(new LogOp.Metric(local, key(key), value, step, System.currentTimeMillis()));
        return this;
    }

    public TrackedRun tag(String key, String value) {
        String v = Objects.requireNonNull(value, "tag value");
        tracking.submit(new LogOp.Tag(local, key(key), v.length() > 5000 ? v.substring(0, 5000) : v));
        return this;
    }

    /** Uploads a file (copied now, so later changes do not matter) to the run's artifact root. */
    public TrackedRun artifact(Path file) {
        return artifact(file, null);
    }

    /** Uploads a file or directory under {@code dir} (null: the root) of the run's artifacts. */
    public TrackedRun artifact(Path file, String dir) {
        if (!Files.exists(file)) throw new IllegalArgumentException("no file " + file + " to log as an artifact");
        if (!tracking.enabled()) return this;
        Path copy = stage(file.getFileName().toString());
        try {
            if (Files.isDirectory(file)) {
                try (var walk = Files.walk(file)) {
                    for (Path p : walk.toList()) {
                        Path target = copy.resolve(file.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(target);
                        else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } else {
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + file + " for upload: " + e.getMessage(), e);
        }
        tracking.submit(new LogOp.Artifact(local, copy.toString(), dir));
        return this;
    }

    /** Logs a table as {@code NAME.csv}. */
    public TrackedRun table(String name, Table table) {
        return table(name, table, "csv");
    }

    /** Logs a table as {@code NAME.csv} or {@code NAME.json} (an array of row objects). */
    public TrackedRun table(String name, Table table, String format) {
        if (!format.equals("csv") && !format.equals("json")) {
            throw new IllegalArgumentException("table format must be csv or json, not '" + format + "'");
        }
        if (!tracking.enabled()) return this;
        Path file = stage(safeName(name) + "." + format);
        try {
            if (format.equals("csv")) {
                table.write().csv(file.toFile());
            } else {
                Files.writeString(file, json(table));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write table " + name + ": " + e.getMessage(), e);
        }
        tracking.submit(new LogOp.Artifact(local, file.toString(), null));
        return this;
    }

    /** Records that the run read a table, by name and content digest (with its schema and row count). */
    public TrackedRun input(String name, Table table, String source) {
        tracking.submit(new LogOp.Input(local, name, Datasets.digest(table), "code", source, Datasets.schema(table),
                "{\"num_rows\":" + table.rowCount() + "}", "input"));
        return this;
    }

    /** Records that the run read a file, by name and content digest. */
    public TrackedRun input(String name, Path file) {
        tracking.submit(new LogOp.Input(local, name, Datasets.digest(file), "local", file.toAbsolutePath().toUri().toString(),
                null, null, "input"));
        return this;
    }

    /**
     * Records that the run read data it did not load itself (a Spark table, a Delta version), by the digest the
     * engine computed; {@code sourceType} is MLflow's (e.g. {@code delta}, {@code spark}, {@code local}).
     */
    public TrackedRun input(String name, String digest, String sourceType, String source, String profile) {
        tracking.submit(new LogOp.Input(local, name, digest, sourceType, source, null, profile, "input"));
        return this;
    }

    public void end() {
        end("FINISHED");
    }

    /** Ends the run as {@code FINISHED}, {@code FAILED} or {@code KILLED}; a second call does nothing. */
    public void end(String status) {
        if (!Set3.STATUSES.contains(status)) {
            throw new IllegalArgumentException("run status must be FINISHED, FAILED or KILLED, not '" + status + "'");
        }
        if (ended) return;
        ended = true;
        tracking.ended(this);
        tracking.submit(new LogOp.EndRun(local, status, System.currentTimeMillis()));
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        end();
    }

    @Override
    public String toString() {
        return "run '" + name + "'";
    }

    private static String key(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("'" + key + "' is not a valid key: use 1 to 250 letters, digits, "
                    + "'_', '-', '.', ' ' or '/'");
        }
        return key;
    }

    private Path stage(String fileName) {
        Path dir = tracking.stagingDir().resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.resolve(fileName);
    }

    private static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        return s.isEmpty() ? "table" : s;
    }

    static String json(Table t) throws IOException {
        ArrayNode rows = JSON.createArrayNode();
        for (int r = 0; r < t.rowCount(); r++) {
            ObjectNode row = rows.addObject();
            for (Column<?> c : t.columns()) {
                Object v = c.get(r);
                if (v == null || c.isMissing(r)) row.putNull(c.name());
                else if (v instanceof Integer || v instanceof Long || v instanceof Short) row.put(c.name(), ((Number) v).longValue());
                else if (v instanceof Number n) row.put(c.name(), n.doubleValue());
                else if (v instanceof Boolean b) row.put(c.name(), b);
                else row.put(c.name(), String.valueOf(v));
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rows);
    }

    private static final class Set3 {
        static final java.util.Set<String> STATUSES = java.util.Set.of("FINISHED", "FAILED", "KILLED");
    }
}
