package yardstick.tracker.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations. Each version is applied once, in its own transaction, and recorded in
 * {@code schema_version}; a database written by a newer version is refused rather than misread.
 */
final class Schema {
    /** Stands for the dialect's {@link SqlDialect#metricLogOrderDdl()} statements in a migration. */
    private static final String METRIC_LOG_ORDER = "{METRIC_LOG_ORDER}";

    /** Migration n (1-based) brings the schema from version n-1 to n. Never edit one that has shipped: append. */
    private static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    "CREATE TABLE experiments (experiment_id {ID}, name TEXT NOT NULL UNIQUE, artifact_location TEXT,"
                            + " lifecycle_stage TEXT NOT NULL, creation_time BIGINT, last_update_time BIGINT)",
                    "CREATE TABLE experiment_tags (experiment_id BIGINT NOT NULL, key TEXT NOT NULL, value TEXT,"
                            + " PRIMARY KEY (experiment_id, key))",
                    "CREATE TABLE runs (run_uuid TEXT PRIMARY KEY, name TEXT, experiment_id BIGINT NOT NULL, user_id TEXT,"
                            + " status TEXT NOT NULL, start_time BIGINT, end_time BIGINT, lifecycle_stage TEXT NOT NULL,"
                            + " artifact_uri TEXT, deleted_time BIGINT)",
                    "CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time)",
                    "CREATE TABLE params (run_uuid TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                            + " PRIMARY KEY (run_uuid, key))",
                    "CREATE TABLE tags (run_uuid TEXT NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY (run_uuid, key))",
                    // NaN is kept as is_nan=1 and value 0: SQLite would otherwise store NaN as NULL.
                    "CREATE TABLE metrics (run_uuid TEXT NOT NULL, key TEXT NOT NULL, value {DOUBLE} NOT NULL,"
                            + " is_nan SMALLINT NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL)",
                    "CREATE UNIQUE INDEX metrics_point ON metrics (run_uuid, key, step, timestamp, value, is_nan)",
                    "CREATE TABLE latest_metrics (run_uuid TEXT NOT NULL, key TEXT NOT NULL, value {DOUBLE} NOT NULL,"
                            + " is_nan SMALLINT NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL,"
                            + " PRIMARY KEY (run_uuid, key))",
                    "CREATE INDEX latest_metrics_by_key ON latest_metrics (key, value)",
                    "CREATE TABLE datasets (dataset_uuid TEXT PRIMARY KEY, experiment_id BIGINT NOT NULL, name TEXT NOT NULL,"
                            + " digest TEXT NOT NULL, source_type TEXT, source TEXT, schema TEXT, profile TEXT)",
                    "CREATE UNIQUE INDEX datasets_identity ON datasets (experiment_id, name, digest)",
                    "CREATE TABLE inputs (input_uuid TEXT PRIMARY KEY, source_id TEXT NOT NULL, destination_id TEXT NOT NULL)",
                    "CREATE UNIQUE INDEX inputs_pair ON inputs (source_id, destination_id)",
                    "CREATE INDEX inputs_by_destination ON inputs (destination_id)",
                    "CREATE TABLE input_tags (input_uuid TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
                            + " PRIMARY KEY (input_uuid, name))",
                    "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time,"
                            + " last_update_time) VALUES (0, 'Default', {ROOT} || '/0', 'active', {NOW}, {NOW})"),
            // Version 2: runs/search's default order (newest first, then id) read straight from an index, so a
            // filtered first page stops after enough matches instead of sorting the whole experiment.
            List.of(
                    "CREATE INDEX runs_by_experiment_newest ON runs (experiment_id, start_time DESC, run_uuid ASC)",
                    "DROP INDEX runs_by_experiment"),
            // Version 3: MLflow's Model Registry. A deleted version keeps its row (stage Deleted_Internal) so that
            // its number is never reused; a model's versions, tags and aliases are keyed by the model's name.
            List.of(
                    "CREATE TABLE registered_models (name TEXT PRIMARY KEY, creation_time BIGINT NOT NULL,"
                            + " last_updated_time BIGINT NOT NULL, description TEXT)",
                    "CREATE TABLE registered_model_tags (name TEXT NOT NULL, key TEXT NOT NULL, value TEXT,"
                            + " PRIMARY KEY (name, key))",
                    "CREATE TABLE model_versions (name TEXT NOT NULL, version INTEGER NOT NULL, creation_time BIGINT NOT NULL,"
                            + " last_updated_time BIGINT NOT NULL, description TEXT, current_stage TEXT NOT NULL, source TEXT,"
                            + " storage_location TEXT, run_id TEXT, run_link TEXT, status TEXT NOT NULL,"
                            + " PRIMARY KEY (name, version))",
                    "CREATE INDEX model_versions_by_run ON model_versions (run_id)",
                    "CREATE TABLE model_version_tags (name TEXT NOT NULL, version INTEGER NOT NULL, key TEXT NOT NULL,"
                            + " value TEXT, PRIMARY KEY (name, version, key))",
                    "CREATE TABLE registered_model_aliases (name TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL,"
                            + " PRIMARY KEY (name, alias))"),
            // Version 4: a metric's history reads back in the order it was logged, as MLflow's file store keeps it;
            // the dialect says which column records that order and indexes it per run and key.
            List.of(METRIC_LOG_ORDER),
            // Version 5: review sessions. Raters' link tokens are kept only as hashes; a rater's queue (order, and in
            // arena mode which pairs show swapped) is fixed when the session is created, so resuming shows the same.
            List.of(
                    "CREATE TABLE review_sessions (session_id TEXT PRIMARY KEY, name TEXT NOT NULL, mode TEXT NOT NULL,"
                            + " rubric TEXT, models TEXT NOT NULL, raters TEXT NOT NULL, items INTEGER NOT NULL,"
                            + " created BIGINT NOT NULL, expires BIGINT NOT NULL, closed BIGINT, run_id TEXT)",
                    "CREATE INDEX review_sessions_by_name ON review_sessions (name, created)",
                    "CREATE TABLE review_items (session_id TEXT NOT NULL, item_index INTEGER NOT NULL, item_key TEXT NOT NULL,"
                            + " input TEXT NOT NULL, context TEXT, outputs TEXT NOT NULL, PRIMARY KEY (session_id, item_index))",
                    "CREATE TABLE review_raters (session_id TEXT NOT NULL, rater TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,"
                            + " queue TEXT NOT NULL, PRIMARY KEY (session_id, rater))",
                    "CREATE TABLE review_answers (session_id TEXT NOT NULL, rater TEXT NOT NULL, item_index INTEGER NOT NULL,"
                            + " score INTEGER, choice TEXT, swapped SMALLINT NOT NULL, rationale TEXT, skipped SMALLINT NOT NULL,"
                            + " time BIGINT NOT NULL, PRIMARY KEY (session_id, rater, item_index))"));

    static final int LATEST = MIGRATIONS.size();

    private Schema() {}

    /** Brings the database up to {@link #LATEST}; returns the version it found. */
    static int migrate(Connection c, SqlDialect dialect, String artifactRoot) throws SQLException {
        c.setAutoCommit(true);
        refuseForeignDatabase(c, dialect);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        }
        int found = currentVersion(c);
        if (found > LATEST) {
            throw new SQLException("The store's schema is version " + found + ", newer than this tracker's " + LATEST
                    + "; upgrade Yardstick to open it.");
        }
        for (int v = found + 1; v <= LATEST; v++) {
            apply(c, dialect, artifactRoot, v);
        }
        return found;
    }

    private static void apply(Connection c, SqlDialect dialect, String artifactRoot, int version) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // Another process may be migrating the same database: re-check under the write transaction.
            if (dialect instanceof PostgresDialect) {
                s.execute("LOCK TABLE schema_version IN EXCLUSIVE MODE");
            } else {
                s.execute("UPDATE schema_version SET version = version WHERE 1 = 0");
            }
            if (currentVersion(c) >= version) {
                c.commit();
                return;
            }
            long now = System.currentTimeMillis();
            List<String> statements = MIGRATIONS.get(version - 1).stream()
                    .flatMap(ddl -> ddl.equals(METRIC_LOG_ORDER) ? dialect.metricLogOrderDdl().stream() : java.util.stream.Stream.of(ddl))
                    .toList();
            for (String ddl : statements) {
                s.execute(ddl.replace("{ID}", dialect.autoIdColumn())
                        .replace("{DOUBLE}", dialect.doubleType())
                        .replace("{ROOT}", quote(artifactRoot))
                        .replace("{NOW}", Long.toString(now)));
            }
            s.execute("DELETE FROM schema_version");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_version (version) VALUES (?)")) {
                p.setInt(1, version);
                p.executeUpdate();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Refuses a database that holds tables but no {@code schema_version}: it belongs to something else, and
     * adding our tables to it would mix two applications' data. Checked before anything is written.
     */
    static void refuseForeignDatabase(Connection c, SqlDialect dialect) throws SQLException {
        List<String> tables = new java.util.ArrayList<>();
        boolean versioned = false;
        try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (name.equalsIgnoreCase("schema_version")) {
                    versioned = true;
                } else if (!name.startsWith("sqlite_")) {
                    tables.add(name);
                }
            }
        }
        if (!versioned && !tables.isEmpty()) {
            java.util.Collections.sort(tables);
            throw new SQLException(dialect.describe() + " is not a Yardstick store: it holds other tables ("
                    + String.join(", ", tables.subList(0, Math.min(5, tables.size()))) + (tables.size() > 5 ? ", ..." : "")
                    + ") and no schema_version. Point --store at an empty or new database.");
        }
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String quote(String literal) {
        return "'" + literal.replace("'", "''") + "'";
    }
}
