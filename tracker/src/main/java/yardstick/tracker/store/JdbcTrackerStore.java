package yardstick.tracker.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import yardstick.tracker.model.DatasetInput;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.Experiment;
import yardstick.tracker.model.LifecycleStage;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.MetricSeries;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.Page;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.RunInfo;
import yardstick.tracker.model.RunStatus;
import yardstick.tracker.model.Tag;
import yardstick.tracker.model.ViewType;
import yardstick.tracker.search.OrderBy;
import yardstick.tracker.search.PageToken;
import yardstick.tracker.search.SearchGrammar;

/** The tracking store on a SQL database; the dialect holds what differs between SQLite and PostgreSQL. */
public final class JdbcTrackerStore implements TrackerStore {
    public static final String RUN_NAME_TAG = "mlflow.runName";
    private static final int MAX_SEARCH_RESULTS = 50_000;

    private final SqlDialect dialect;
    private final ConnectionPool pool;
    private final String artifactRoot;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final RunSearchQuery runSearch;
    private final ExperimentSearchQuery experimentSearch;
    private final JdbcModelRegistry modelRegistry;
    private final JdbcReviewStore reviews;
    /** SQLite's writes, one writer thread committing them in groups; null where the database takes concurrent writers. */
    private volatile GroupCommit groupCommit;

    /**
     * Opens the store and migrates its schema.
     *
     * @param artifactRoot the URI new experiments' artifact locations start with, such as {@code mlflow-artifacts:}
     */
    public static JdbcTrackerStore open(SqlDialect dialect, String artifactRoot) {
        JdbcTrackerStore store = new JdbcTrackerStore(dialect, artifactRoot);
        try {
            store.migrate();
            store.startGroupCommit();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private JdbcTrackerStore(SqlDialect dialect, String artifactRoot) {
        this.dialect = dialect;
        this.artifactRoot = artifactRoot.endsWith("/") ? artifactRoot.substring(0, artifactRoot.length() - 1) : artifactRoot;
        this.pool = dialect.newPool(8);
        this.runSearch = new RunSearchQuery(dialect);
        this.experimentSearch = new ExperimentSearchQuery(dialect);
        this.modelRegistry = new JdbcModelRegistry(this, dialect);
        this.reviews = new JdbcReviewStore(this);
    }

    /** Migrations manage their own transactions, one per schema version. */
    private void migrate() {
        writeLock.lock();
        Connection c = null;
        boolean broken = false;
        try {
            c = pool.acquire();
            Schema.migrate(c, dialect, artifactRoot);
        } catch (SQLException e) {
            broken = true;
            throw new MlflowException(ErrorCode.INTERNAL_ERROR, "Cannot open store " + dialect.describe() + ": " + e.getMessage());
        } finally {
            if (c != null) {
                pool.release(c, broken);
            }
            writeLock.unlock();
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private void startGroupCommit() {
        if (!dialect.serializesWrites()) {
            return;
        }
        try {
            groupCommit = new GroupCommit(dialect::open, this::storeError, "tracker-store-writer");
        } catch (SQLException e) {
            throw new MlflowException(ErrorCode.INTERNAL_ERROR, "Cannot open store " + dialect.describe() + ": " + e.getMessage());
        }
    }

    /**
     * Runs {@code work} in one write transaction: it commits entirely or rolls back, and this returns
     * only after the commit. On SQLite the transaction may be shared with concurrent writes (group
     * commit), each isolated in a savepoint, so one failing write never takes another with it.
     */
    <T> T write(SqlWork<T> work) {
        GroupCommit group = groupCommit;
        if (group != null) {
            return group.submit(work);
        }
        boolean serialize = dialect.serializesWrites();
        if (serialize) {
            writeLock.lock();
        }
        try {
            return transaction(work);
        } finally {
            if (serialize) {
                writeLock.unlock();
            }
        }
    }

    /** Runs {@code work} in a read transaction, so it sees one consistent snapshot. */
    <T> T read(SqlWork<T> work) {
        return transaction(work);
    }

    private <T> T transaction(SqlWork<T> work) {
        Connection c;
        try {
            c = pool.acquire();
        } catch (SQLException e) {
            throw new MlflowException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Store unavailable: " + e.getMessage());
        }
        boolean broken = false;
        try {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            broken = rollback(c);
            throw storeError(e);
        } catch (RuntimeException | Error e) {
            broken = rollback(c);
            throw e;
        } finally {
            try {
                if (!broken) {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                broken = true;
            }
            pool.release(c, broken);
        }
    }

    private MlflowException storeError(SQLException e) {
        if (dialect.isUniqueViolation(e)) {
            return new MlflowException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Resource already exists: " + e.getMessage());
        }
        if (dialect.isStatementTooLarge(e)) {
            // Only a search builds statements whose size the request decides; the grammar's limits should catch it first.
            return MlflowException.invalidParameter("The search is too large for the store: use fewer clauses, values"
                    + " or order_by terms.");
        }
        return new MlflowException(ErrorCode.INTERNAL_ERROR, "Store error: " + e.getMessage());
    }

    private static boolean rollback(Connection c) {
        try {
            c.rollback();
            return false;
        } catch (SQLException e) {
            return true;
        }
    }

    // ---- experiments ----

    @Override
    public Experiment createExperiment(String name, String artifactLocation, List<Tag> tags) {
        Validation.experimentName(name);
        Validation.tags(tags);
        return write(c -> {
            if (findExperimentIdByName(c, name) != null) {
                throw new MlflowException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Experiment '" + name + "' already exists.");
            }
            long now = System.currentTimeMillis();
            long id;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO experiments (name, artifact_location, lifecycle_stage,"
                    + " creation_time, last_update_time) VALUES (?, ?, 'active', ?, ?) RETURNING experiment_id")) {
                p.setString(1, name);
                p.setString(2, artifactLocation);
                p.setLong(3, now);
                p.setLong(4, now);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            if (artifactLocation == null || artifactLocation.isEmpty()) {
                try (PreparedStatement p = c.prepareStatement("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?")) {
                    p.setString(1, artifactRoot + "/" + id);
                    p.setLong(2, id);
                    p.executeUpdate();
                }
            }
            for (Tag t : tags) {
                upsertExperimentTag(c, id, t);
            }
            return loadExperiment(c, id);
        });
    }

    @Override
    public Experiment getExperiment(String experimentId) {
        long id = experimentId(experimentId);
        return read(c -> loadExperiment(c, id));
    }

    @Override
    public Experiment getExperimentByName(String name) {
        return read(c -> {
            Long id = findExperimentIdByName(c, name);
            if (id == null) {
                throw MlflowException.notFound("Could not find experiment with name '" + name + "'");
            }
            return loadExperiment(c, id);
        });
    }

    @Override
    public Page<Experiment> searchExperiments(ViewType viewType, String filter, List<String> orderBy, int maxResults,
            String pageToken) {
        checkMaxResults(maxResults);
        var clauses = SearchGrammar.parseExperimentFilter(filter);
        SearchGrammar.checkOrderByCount(orderBy);
        List<OrderBy> order = orderBy.stream().map(SearchGrammar::parseExperimentOrderBy).toList();
        long offset = PageToken.decode(pageToken);
        return read(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement p = experimentSearch.build(clauses, viewType, order, offset, maxResults + 1).prepare(c);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            Page<Long> page = PageToken.page(ids, offset, maxResults);
            List<Experiment> experiments = new ArrayList<>();
            for (long id : page.items()) {
                experiments.add(loadExperiment(c, id));
            }
            return new Page<>(experiments, page.nextPageToken());
        });
    }

    @Override
    public void renameExperiment(String experimentId, String newName) {
        long id = experimentId(experimentId);
        Validation.experimentName(newName);
        write(c -> {
            Experiment e = loadExperiment(c, id);
            if (e.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw new MlflowException(ErrorCode.INVALID_STATE, "Cannot rename a non-active experiment.");
            }
            Long other = findExperimentIdByName(c, newName);
            if (other != null && other != id) {
                throw new MlflowException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Experiment '" + newName + "' already exists.");
            }
            return update(c, "UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
                    newName, System.currentTimeMillis(), id);
        });
    }

    @Override
    public void deleteExperiment(String experimentId) {
        long id = experimentId(experimentId);
        write(c -> {
            Experiment e = loadExperiment(c, id);
            if (id == 0) {
                throw MlflowException.invalidParameter("Cannot delete the default experiment '0'. This is an internally"
                        + " reserved experiment.");
            }
            if (e.lifecycleStage() == LifecycleStage.DELETED) {
                throw new MlflowException(ErrorCode.INVALID_STATE, "Cannot delete an already deleted experiment: " + id);
            }
            long now = System.currentTimeMillis();
            update(c, "UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = ? WHERE experiment_id = ?", now, id);
            return update(c, "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE experiment_id = ?"
                    + " AND lifecycle_stage = 'active'", now, id);
        });
    }

    @Override
    public void restoreExperiment(String experimentId) {
        long id = experimentId(experimentId);
        write(c -> {
            Experiment e = loadExperiment(c, id);
            if (e.lifecycleStage() == LifecycleStage.ACTIVE) {
                throw new MlflowException(ErrorCode.INVALID_STATE, "Cannot restore an active experiment: " + id);
            }
            update(c, "UPDATE experiments SET lifecycle_stage = 'active', last_update_time = ? WHERE experiment_id = ?",
                    System.currentTimeMillis(), id);
            return update(c, "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = ?", id);
        });
    }

    @Override
    public void setExperimentTag(String experimentId, Tag tag) {
        long id = experimentId(experimentId);
        Validation.tag(tag);
        write(c -> {
            Experiment e = loadExperiment(c, id);
            if (e.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw new MlflowException(ErrorCode.INVALID_STATE, "The experiment " + id
                        + " must be in the 'active' state. Current state is deleted.");
            }
            upsertExperimentTag(c, id, tag);
            return null;
        });
    }

    private void upsertExperimentTag(Connection c, long id, Tag t) throws SQLException {
        update(c, "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value", id, t.key(), t.value());
    }

    private static long experimentId(String experimentId) {
        try {
            return Long.parseLong(Objects.requireNonNull(experimentId, "experiment_id").trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw MlflowException.notFound("No Experiment with id=" + experimentId + " exists");
        }
    }

    private static Long findExperimentIdByName(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT experiment_id FROM experiments WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static Experiment loadExperiment(Connection c, long id) throws SQLException {
        String name;
        String location;
        String stage;
        long created;
        long updated;
        try (PreparedStatement p = c.prepareStatement("SELECT name, artifact_location, lifecycle_stage, creation_time,"
                + " last_update_time FROM experiments WHERE experiment_id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw MlflowException.notFound("No Experiment with id=" + id + " exists");
                }
                name = rs.getString(1);
                location = rs.getString(2);
                stage = rs.getString(3);
                created = rs.getLong(4);
                updated = rs.getLong(5);
            }
        }
        List<Tag> tags = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT key, value FROM experiment_tags WHERE experiment_id = ? ORDER BY key")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    tags.add(new Tag(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return new Experiment(Long.toString(id), name, location, LifecycleStage.fromWord(stage), created, updated, tags);
    }

    // ---- runs ----

    @Override
    public Run createRun(String experimentId, String userId, long startTime, String runName, List<Tag> tags) {
        long expId = experimentId(experimentId);
        Validation.tags(tags);
        String tagName = tags.stream().filter(t -> t.key().equals(RUN_NAME_TAG)).map(Tag::value).findFirst().orElse(null);
        if (runName != null && !runName.isEmpty() && tagName != null && !tagName.equals(runName)) {
            throw MlflowException.invalidParameter("Both 'run_name' argument and 'mlflow.runName' tag are specified, but with"
                    + " different values (run_name='" + runName + "', mlflow.runName='" + tagName + "').");
        }
        String name = runName != null && !runName.isEmpty() ? runName : tagName != null ? tagName : RunNames.random();
        String runId = UUID.randomUUID().toString().replace("-", "");
        return write(c -> {
            Experiment e = loadExperiment(c, expId);
            if (e.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw MlflowException.invalidParameter("The experiment " + expId
                        + " must be in the 'active' state. Current state is deleted.");
            }
            String artifactUri = e.artifactLocation() + "/" + runId + "/artifacts";
            update(c, "INSERT INTO runs (run_uuid, name, experiment_id, user_id, status, start_time, end_time,"
                    + " lifecycle_stage, artifact_uri) VALUES (?, ?, ?, ?, 'RUNNING', ?, NULL, 'active', ?)",
                    runId, name, expId, userId == null ? "" : userId, startTime, artifactUri);
            List<Tag> all = new ArrayList<>(tags.stream().filter(t -> !t.key().equals(RUN_NAME_TAG)).toList());
            all.add(new Tag(RUN_NAME_TAG, name));
            upsertTags(c, runId, all);
            return RunLoader.load(c, List.of(runId)).getFirst();
        });
    }

    @Override
    public Run getRun(String runId) {
        return read(c -> {
            List<Run> runs = RunLoader.load(c, List.of(String.valueOf(runId)));
            if (runs.isEmpty()) {
                throw runNotFound(runId);
            }
            return runs.getFirst();
        });
    }

    static MlflowException runNotFound(String runId) {
        return MlflowException.notFound("Run with id=" + runId + " not found");
    }

    @Override
    public RunInfo updateRun(String runId, RunStatus status, Long endTime, String runName) {
        return write(c -> {
            requireActiveRun(c, runId);
            if (status != null) {
                update(c, "UPDATE runs SET status = ? WHERE run_uuid = ?", status.name(), runId);
            }
            if (endTime != null) {
                update(c, "UPDATE runs SET end_time = ? WHERE run_uuid = ?", endTime, runId);
            }
            if (runName != null && !runName.isEmpty()) {
                update(c, "UPDATE runs SET name = ? WHERE run_uuid = ?", runName, runId);
                upsertTags(c, runId, List.of(new Tag(RUN_NAME_TAG, runName)));
            }
            return RunLoader.load(c, List.of(runId)).getFirst().info();
        });
    }

    @Override
    public void deleteRun(String runId) {
        write(c -> {
            lifecycleOf(c, runId);
            return update(c, "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_uuid = ?",
                    System.currentTimeMillis(), runId);
        });
    }

    @Override
    public void restoreRun(String runId) {
        write(c -> {
            lifecycleOf(c, runId);
            return update(c, "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = ?", runId);
        });
    }

    private static String lifecycleOf(Connection c, String runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT lifecycle_stage FROM runs WHERE run_uuid = ?")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw runNotFound(runId);
                }
                return rs.getString(1);
            }
        }
    }

    private static void requireActiveRun(Connection c, String runId) throws SQLException {
        String stage = lifecycleOf(c, runId);
        if (!LifecycleStage.ACTIVE.word().equals(stage)) {
            throw MlflowException.invalidParameter("The run " + runId + " must be in the 'active' state. Current state is "
                    + stage + ".");
        }
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        Validation.batch(metrics, params, tags);
        Map<String, String> batchParams = new LinkedHashMap<>();
        for (Param p : params) {
            String previous = batchParams.putIfAbsent(p.key(), p.value());
            if (previous != null && !previous.equals(p.value())) {
                throw MlflowException.invalidParameter("Duplicate parameter keys have been submitted: ['" + p.key()
                        + "']. Please ensure the request contains only one param value per param key.");
            }
        }
        write(c -> {
            requireActiveRun(c, runId);
            insertParams(c, runId, batchParams);
            insertMetrics(c, runId, metrics);
            upsertTags(c, runId, tags);
            return null;
        });
    }

    private static void insertParams(Connection c, String runId, Map<String, String> params) throws SQLException {
        if (params.isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO params (run_uuid, key, value) VALUES (?, ?, ?) ON CONFLICT (run_uuid, key) DO NOTHING")) {
            for (var e : params.entrySet()) {
                p.setString(1, runId);
                p.setString(2, e.getKey());
                p.setString(3, e.getValue());
                p.addBatch();
            }
            p.executeBatch();
        }
        // Read back what is stored: a key logged earlier (or by a concurrent writer) with another value is an error.
        Map<String, String> stored = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT key, value FROM params WHERE run_uuid = ?")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        for (var e : params.entrySet()) {
            String existing = stored.get(e.getKey());
            if (!e.getValue().equals(existing)) {
                throw MlflowException.invalidParameter("Changing param values is not allowed. Param with key='" + e.getKey()
                        + "' was already logged with value='" + existing + "' for run ID='" + runId
                        + "'. Attempted logging new value '" + e.getValue() + "'.");
            }
        }
    }

    private static void insertMetrics(Connection c, String runId, List<Metric> metrics) throws SQLException {
        if (metrics.isEmpty()) {
            return;
        }
        Map<String, Metric> latest = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Metric m : metrics) {
                bindMetric(p, runId, m);
                p.addBatch();
                latest.merge(m.key(), m, (a, b) -> isLater(b, a) ? b : a);
            }
            p.executeBatch();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value,"
                + " is_nan = excluded.is_nan, timestamp = excluded.timestamp, step = excluded.step"
                + " WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step"
                + " AND excluded.timestamp > latest_metrics.timestamp) OR (excluded.step = latest_metrics.step"
                + " AND excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)")) {
            for (Metric m : latest.values()) {
                bindMetric(p, runId, m);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** MLflow's "latest" value: the highest step, then the latest timestamp, then the larger value. */
    private static boolean isLater(Metric a, Metric b) {
        if (a.step() != b.step()) {
            return a.step() > b.step();
        }
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() > b.timestamp();
        }
        return storedValue(a) > storedValue(b);
    }

    private static double storedValue(Metric m) {
        return Double.isNaN(m.value()) ? 0.0 : m.value();
    }

    private static void bindMetric(PreparedStatement p, String runId, Metric m) throws SQLException {
        boolean nan = Double.isNaN(m.value());
        p.setString(1, runId);
        p.setString(2, m.key());
        p.setDouble(3, nan ? 0.0 : m.value());
        p.setInt(4, nan ? 1 : 0);
        p.setLong(5, m.timestamp());
        p.setLong(6, m.step());
    }

    private static void upsertTags(Connection c, String runId, List<Tag> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO tags (run_uuid, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value")) {
            for (Tag t : tags) {
                p.setString(1, runId);
                p.setString(2, t.key());
                p.setString(3, t.value());
                p.addBatch();
            }
            p.executeBatch();
        }
        for (Tag t : tags) {
            // The run's name and its mlflow.runName tag are one fact; keep them in step.
            if (t.key().equals(RUN_NAME_TAG)) {
                update(c, "UPDATE runs SET name = ? WHERE run_uuid = ?", t.value(), runId);
            }
        }
    }

    @Override
    public void deleteTag(String runId, String key) {
        write(c -> {
            requireActiveRun(c, runId);
            int n = update(c, "DELETE FROM tags WHERE run_uuid = ? AND key = ?", runId, key);
            if (n == 0) {
                throw MlflowException.notFound("No tag with name: " + key + " in run with id " + runId);
            }
            return n;
        });
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        Validation.datasetInputs(inputs);
        write(c -> {
            requireActiveRun(c, runId);
            long expId;
            try (PreparedStatement p = c.prepareStatement("SELECT experiment_id FROM runs WHERE run_uuid = ?")) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    expId = rs.getLong(1);
                }
            }
            for (DatasetInput input : inputs) {
                String datasetId = datasetId(c, expId, input);
                String inputId;
                try (PreparedStatement p = c.prepareStatement(
                        "SELECT input_uuid FROM inputs WHERE source_id = ? AND destination_id = ?")) {
                    p.setString(1, datasetId);
                    p.setString(2, runId);
                    try (ResultSet rs = p.executeQuery()) {
                        inputId = rs.next() ? rs.getString(1) : null;
                    }
                }
                if (inputId == null) {
                    inputId = UUID.randomUUID().toString().replace("-", "");
                    update(c, "INSERT INTO inputs (input_uuid, source_id, destination_id) VALUES (?, ?, ?)", inputId, datasetId, runId);
                }
                for (Tag t : input.tags()) {
                    update(c, "INSERT INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?)"
                            + " ON CONFLICT (input_uuid, name) DO UPDATE SET value = excluded.value", inputId, t.key(), t.value());
                }
            }
            return null;
        });
    }

    private static String datasetId(Connection c, long expId, DatasetInput input) throws SQLException {
        var d = input.dataset();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?")) {
            p.setLong(1, expId);
            p.setString(2, d.name());
            p.setString(3, d.digest());
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        update(c, "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, source_type, source, schema, profile)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, expId, d.name(), d.digest(), d.sourceType(), d.source(), d.schema(), d.profile());
        return id;
    }

    @Override
    public Page<Metric> getMetricHistory(String runId, String key, Integer maxResults, String pageToken) {
        if (maxResults != null && maxResults < 1) {
            throw MlflowException.invalidParameter("Invalid value " + maxResults + " for parameter 'max_results': it must be positive");
        }
        long offset = PageToken.decode(pageToken);
        return read(c -> {
            lifecycleOf(c, runId);
            List<Metric> points = new ArrayList<>();
            String sql = "SELECT value, is_nan, timestamp, step FROM metrics WHERE run_uuid = ? AND key = ?"
                    + " ORDER BY " + dialect.metricLogOrder() + (maxResults == null ? "" : " LIMIT ? OFFSET ?");
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, runId);
                p.setString(2, key);
                if (maxResults != null) {
                    p.setInt(3, maxResults + 1);
                    p.setLong(4, offset);
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        double v = rs.getInt(2) == 1 ? Double.NaN : rs.getDouble(1);
                        points.add(new Metric(key, v, rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
            return maxResults == null ? new Page<>(points, null) : PageToken.page(points, offset, maxResults);
        });
    }

    /**
     * The unique index metrics_point (run_uuid, key, step, timestamp, value, is_nan) holds every column read here in
     * this order: a chart's series is one index range, with no table lookups and no sort.
     */
    static final String METRIC_SERIES_SQL = "SELECT step, timestamp, value, is_nan FROM metrics"
            + " WHERE run_uuid = ? AND key = ? ORDER BY step, timestamp, value, is_nan";

    @Override
    public MetricSeries getMetricSeries(String runId, String key) {
        return read(c -> {
            lifecycleOf(c, runId);
            try (PreparedStatement p = c.prepareStatement(METRIC_SERIES_SQL)) {
                p.setString(1, runId);
                p.setString(2, key);
                p.setFetchSize(10_000);
                try (ResultSet rs = p.executeQuery()) {
                    return readSeries(rs);
                }
            }
        });
    }

    private static MetricSeries readSeries(ResultSet rs) throws SQLException {
        long[] steps = new long[1024];
        long[] times = new long[1024];
        double[] values = new double[1024];
        int n = 0;
        int total = 0;
        while (rs.next()) {
            total++;
            double v = rs.getDouble(3);
            if (rs.getInt(4) == 1 || !Double.isFinite(v)) {
                continue;
            }
            if (n == values.length) {
                steps = Arrays.copyOf(steps, n * 2);
                times = Arrays.copyOf(times, n * 2);
                values = Arrays.copyOf(values, n * 2);
            }
            steps[n] = rs.getLong(1);
            times[n] = rs.getLong(2);
            values[n++] = v;
        }
        return new MetricSeries(Arrays.copyOf(steps, n), Arrays.copyOf(times, n),
                Arrays.copyOf(values, n), total);
    }

    @Override
    public Page<Run> searchRuns(List<String> experimentIds, String filter, ViewType viewType, int maxResults,
            List<String> orderBy, String pageToken) {
        checkMaxResults(maxResults);
        var clauses = SearchGrammar.parseRunFilter(filter);
        SearchGrammar.checkOrderByCount(orderBy);
        List<OrderBy> order = orderBy.stream().map(SearchGrammar::parseRunOrderBy).toList();
        long offset = PageToken.decode(pageToken);
        List<Long> expIds = new ArrayList<>();
        for (String id : experimentIds) {
            try {
                expIds.add(Long.parseLong(id.trim()));
            } catch (NumberFormatException e) {
                throw MlflowException.invalidParameter("Invalid experiment ID '" + id + "'");
            }
        }
        if (expIds.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        return read(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement p = runSearch.build(expIds, clauses, viewType, order, offset, maxResults + 1).prepare(c);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            Page<String> page = PageToken.page(ids, offset, maxResults);
            return new Page<>(RunLoader.load(c, page.items()), page.nextPageToken());
        });
    }

    private static void checkMaxResults(int maxResults) {
        if (maxResults < 1 || maxResults > MAX_SEARCH_RESULTS) {
            throw MlflowException.invalidParameter("Invalid value " + maxResults + " for parameter 'max_results' supplied."
                    + " It must be at most " + MAX_SEARCH_RESULTS + " and positive.");
        }
    }

    static int update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            SqlQuery.bind(p, java.util.Arrays.asList(values));
            return p.executeUpdate();
        }
    }

    @Override
    public ModelRegistry modelRegistry() {
        return modelRegistry;
    }

    @Override
    public yardstick.tracker.review.ReviewStore reviews() {
        return reviews;
    }

    @Override
    public String describe() {
        return dialect.describe();
    }

    @Override
    public void close() {
        GroupCommit group = groupCommit;
        if (group != null) {
            group.close();
        }
        pool.close();
    }
}
