package yardstick.tracker.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.ModelAlias;
import yardstick.tracker.model.ModelStage;
import yardstick.tracker.model.ModelVersion;
import yardstick.tracker.model.Page;
import yardstick.tracker.model.RegisteredModel;
import yardstick.tracker.model.Tag;
import yardstick.tracker.search.Clause;
import yardstick.tracker.search.OrderBy;
import yardstick.tracker.search.PageToken;
import yardstick.tracker.search.SearchGrammar;

/** The Model Registry in the tracking store's database, in its transactions (and, on SQLite, its group commits). */
final class JdbcModelRegistry implements ModelRegistry {
    static final int MAX_MODEL_RESULTS = 1000;
    static final int MAX_VERSION_RESULTS = 200_000;
    private static final String VERSION_COLUMNS = "name, version, creation_time, last_updated_time, description,"
            + " current_stage, source, run_id, run_link, status";
    private static final List<String> DEFAULT_VERSION_ORDER = List.of("last_updated_timestamp DESC", "name ASC",
            "version_number DESC");

    private final JdbcTrackerStore store;
    private final ModelSearchQuery search;

    JdbcModelRegistry(JdbcTrackerStore store, SqlDialect dialect) {
        this.store = store;
        this.search = new ModelSearchQuery(dialect);
    }

    // ---- registered models ----

    @Override
    public RegisteredModel createRegisteredModel(String name, List<Tag> tags, String description) {
        Validation.modelName(name);
        Validation.tags(tags);
        return store.write(c -> {
            if (modelExists(c, name)) {
                throw modelExistsError(name);
            }
            long now = System.currentTimeMillis();
            JdbcTrackerStore.update(c, "INSERT INTO registered_models (name, creation_time, last_updated_time, description)"
                    + " VALUES (?, ?, ?, ?)", name, now, now, description);
            for (Tag t : tags) {
                upsertModelTag(c, name, t);
            }
            return loadModel(c, name);
        });
    }

    @Override
    public RegisteredModel getRegisteredModel(String name) {
        Validation.modelName(name);
        return store.read(c -> loadModel(c, name));
    }

    @Override
    public Page<RegisteredModel> searchRegisteredModels(String filter, List<String> orderBy, int maxResults, String pageToken) {
        checkMaxResults(maxResults, MAX_MODEL_RESULTS);
        List<Clause> clauses = SearchGrammar.parseRegisteredModelFilter(filter);
        SearchGrammar.checkOrderByCount(orderBy);
        List<OrderBy> order = orderBy.stream().map(SearchGrammar::parseRegisteredModelOrderBy).toList();
        long offset = PageToken.decode(pageToken);
        return store.read(c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement p = search.registeredModels(clauses, order, offset, maxResults + 1).prepare(c);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            Page<String> page = PageToken.page(names, offset, maxResults);
            List<RegisteredModel> models = new ArrayList<>();
            for (String name : page.items()) {
                models.add(loadModel(c, name));
            }
            return new Page<>(models, page.nextPageToken());
        });
    }

    @Override
    public RegisteredModel renameRegisteredModel(String name, String newName) {
        Validation.modelName(name);
        Validation.modelName(newName);
        return store.write(c -> {
            requireModel(c, name);
            if (!newName.equals(name) && modelExists(c, newName)) {
                throw modelExistsError(newName);
            }
            long now = System.currentTimeMillis();
            JdbcTrackerStore.update(c, "UPDATE registered_models SET name = ?, last_updated_time = ? WHERE name = ?",
                    newName, now, name);
            JdbcTrackerStore.update(c, "UPDATE model_versions SET name = ?, last_updated_time = ? WHERE name = ?",
                    newName, now, name);
            for (String table : List.of("registered_model_tags", "model_version_tags", "registered_model_aliases")) {
                JdbcTrackerStore.update(c, "UPDATE " + table + " SET name = ? WHERE name = ?", newName, name);
            }
            return loadModel(c, newName);
        });
    }

    @Override
    public RegisteredModel updateRegisteredModel(String name, String description) {
        Validation.modelName(name);
        return store.write(c -> {
            requireModel(c, name);
            JdbcTrackerStore.update(c, "UPDATE registered_models SET description = COALESCE(?, description), last_updated_time = ?"
                    + " WHERE name = ?",
                    description, System.currentTimeMillis(), name);
            return loadModel(c, name);
        });
    }

    @Override
    public void deleteRegisteredModel(String name) {
        Validation.modelName(name);
        store.write(c -> {
            requireModel(c, name);
            for (String table : List.of("registered_model_aliases", "model_version_tags", "model_versions",
                    "registered_model_tags", "registered_models")) {
                JdbcTrackerStore.update(c, "DELETE FROM " + table + " WHERE name = ?", name);
            }
            return null;
        });
    }

    @Override
    public void setRegisteredModelTag(String name, Tag tag) {
        Validation.modelName(name);
        Validation.tag(tag);
        store.write(c -> {
            requireModel(c, name);
            upsertModelTag(c, name, tag);
            return null;
        });
    }

    @Override
    public void deleteRegisteredModelTag(String name, String key) {
        Validation.modelName(name);
        Validation.name("tags", key);
        store.write(c -> {
            requireModel(c, name);
            return JdbcTrackerStore.update(c, "DELETE FROM registered_model_tags WHERE name = ? AND key = ?", name, key);
        });
    }

    @Override
    public List<ModelVersion> getLatestVersions(String name, List<String> stages) {
        Validation.modelName(name);
        List<String> wanted = stages.isEmpty() ? ModelStage.ALL : stages.stream().map(ModelStage::canonical).toList();
        return store.read(c -> {
            requireModel(c, name);
            return latestVersions(c, name).stream().filter(v -> wanted.contains(v.currentStage())).toList();
        });
    }

    private static void upsertModelTag(Connection c, String name, Tag t) throws SQLException {
        JdbcTrackerStore.update(c, "INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (name, key) DO UPDATE SET value = excluded.value", name, t.key(), t.value());
    }

    private static MlflowException modelExistsError(String name) {
        return new MlflowException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Registered Model (name=" + name + ") already exists.");
    }

    private static boolean modelExists(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM registered_models WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void requireModel(Connection c, String name) throws SQLException {
        if (!modelExists(c, name)) {
            throw MlflowException.notFound("Registered Model with name=" + name + " not found");
        }
    }

    private static RegisteredModel loadModel(Connection c, String name) throws SQLException {
        long created;
        long updated;
        String description;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT creation_time, last_updated_time, description FROM registered_models WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw MlflowException.notFound("Registered Model with name=" + name + " not found");
                }
                created = rs.getLong(1);
                updated = rs.getLong(2);
                description = rs.getString(3);
            }
        }
        List<Tag> tags = rows(c, "SELECT key, value FROM registered_model_tags WHERE name = ? ORDER BY key",
                rs -> new Tag(rs.getString(1), rs.getString(2)), name);
        List<ModelAlias> aliases = rows(c, "SELECT alias, version FROM registered_model_aliases WHERE name = ? ORDER BY alias",
                rs -> new ModelAlias(rs.getString(1), rs.getInt(2)), name);
        return new RegisteredModel(name, created, updated, description, latestVersions(c, name), tags, aliases);
    }

    /** The newest undeleted version in each stage, by version number. */
    private static List<ModelVersion> latestVersions(Connection c, String name) throws SQLException {
        List<Integer> numbers = rows(c, "SELECT MAX(version) FROM model_versions WHERE name = ?"
                + " AND current_stage <> ? GROUP BY current_stage ORDER BY MAX(version)", rs -> rs.getInt(1),
                name, ModelStage.DELETED_INTERNAL);
        List<ModelVersion> versions = new ArrayList<>();
        for (int n : numbers) {
            versions.add(loadVersion(c, name, n));
        }
        return versions;
    }

    // ---- model versions ----

    @Override
    public ModelVersion createModelVersion(String name, String source, String runId, List<Tag> tags, String runLink,
            String description) {
        Validation.modelName(name);
        if (source == null || source.isEmpty()) {
            throw MlflowException.invalidParameter("Missing value for required parameter 'source'.");
        }
        Validation.tags(tags);
        String run = runId == null || runId.isEmpty() ? null : runId;
        return store.write(c -> {
            ModelSources.check(source, run == null ? null : runArtifactUri(c, run));
            requireModel(c, name);
            long now = System.currentTimeMillis();
            // Updating the model first locks its row, so concurrent registrations number their versions one by one.
            JdbcTrackerStore.update(c, "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
            int version;
            try (PreparedStatement p = c.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = ?")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    version = rs.getInt(1);
                }
            }
            JdbcTrackerStore.update(c, "INSERT INTO model_versions (" + VERSION_COLUMNS + ", storage_location)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", name, version, now, now, description, ModelStage.NONE, source,
                    run, runLink, ModelVersion.READY, storageLocation(c, source));
            for (Tag t : tags) {
                upsertVersionTag(c, name, version, t);
            }
            return loadVersion(c, name, version);
        });
    }

    /** Where a new version's files are read from; see {@link ModelRegistry#getModelVersionDownloadUri}. */
    private String storageLocation(Connection c, String source) throws SQLException {
        ModelSources.RunArtifact runArtifact = ModelSources.runArtifact(source);
        if (runArtifact != null) {
            String artifactUri = runArtifactUri(c, runArtifact.runId());
            return artifactUri == null ? source : ModelSources.join(artifactUri, runArtifact.path());
        }
        ModelSources.ModelReference ref = ModelSources.modelReference(source);
        if (ref != null) {
            int version = ref.version() != null ? Integer.parseInt(ref.version()) : aliasedVersion(c, ref.name(), ref.alias());
            return downloadUri(c, ref.name(), version);
        }
        return source;
    }

    private static String runArtifactUri(Connection c, String runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT artifact_uri FROM runs WHERE run_uuid = ?")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public ModelVersion getModelVersion(String name, String version) {
        Validation.modelName(name);
        int number = Validation.modelVersion(version);
        return store.read(c -> loadVersion(c, name, number));
    }

    @Override
    public ModelVersion updateModelVersion(String name, String version, String description) {
        Validation.modelName(name);
        int number = Validation.modelVersion(version);
        return store.write(c -> {
            loadVersion(c, name, number);
            JdbcTrackerStore.update(c, "UPDATE model_versions SET description = COALESCE(?, description), last_updated_time = ? WHERE name = ?"
                    + " AND version = ?", description, System.currentTimeMillis(), name, number);
            return loadVersion(c, name, number);
        });
    }

    @Override
    public ModelVersion transitionModelVersionStage(String name, String version, String stage, boolean archiveExisting) {
        Validation.modelName(name);
        int number = Validation.modelVersion(version);
        String canonical = ModelStage.canonical(stage);
        if (archiveExisting && !ModelStage.isActive(canonical)) {
            throw MlflowException.invalidParameter("Model version transition cannot archive existing model versions because '"
                    + stage + "' is not an Active stage. Valid stages are [Staging, Production]");
        }
        return store.write(c -> {
            loadVersion(c, name, number);
            long now = System.currentTimeMillis();
            if (archiveExisting) {
                JdbcTrackerStore.update(c, "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ?"
                        + " AND version <> ? AND current_stage = ?", ModelStage.ARCHIVED, now, name, number, canonical);
            }
            JdbcTrackerStore.update(c, "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ?"
                    + " AND version = ?", canonical, now, name, number);
            JdbcTrackerStore.update(c, "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
            return loadVersion(c, name, number);
        });
    }

    @Override
    public void deleteModelVersion(String name, String version) {
        Validation.modelName(name);
        int number = Validation.modelVersion(version);
        store.write(c -> {
            loadVersion(c, name, number);
            long now = System.currentTimeMillis();
            JdbcTrackerStore.update(c, "DELETE FROM registered_model_aliases WHERE name = ? AND version = ?", name, number);
            JdbcTrackerStore.update(c, "DELETE FROM model_version_tags WHERE name = ? AND version = ?", name, number);
            // The row stays, redacted as MLflow does, so the number is never given to another version.
            JdbcTrackerStore.update(c, "UPDATE model_versions SET current_stage = ?, last_updated_time = ?, description = NULL,"
                    + " source = 'REDACTED-SOURCE-PATH', storage_location = NULL, run_id = 'REDACTED-RUN-ID',"
                    + " run_link = 'REDACTED-RUN-LINK' WHERE name = ? AND version = ?", ModelStage.DELETED_INTERNAL, now,
                    name, number);
            return JdbcTrackerStore.update(c, "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
        });
    }

    @Override
    public Page<ModelVersion> searchModelVersions(String filter, List<String> orderBy, int maxResults, String pageToken) {
        checkMaxResults(maxResults, MAX_VERSION_RESULTS);
        List<Clause> clauses = SearchGrammar.parseModelVersionFilter(filter);
        SearchGrammar.checkOrderByCount(orderBy);
        List<OrderBy> order = (orderBy.isEmpty() ? DEFAULT_VERSION_ORDER : orderBy).stream()
                .map(SearchGrammar::parseModelVersionOrderBy).toList();
        long offset = PageToken.decode(pageToken);
        return store.read(c -> {
            record Key(String name, int version) {}
            List<Key> keys = new ArrayList<>();
            try (PreparedStatement p = search.modelVersions(clauses, order, offset, maxResults + 1).prepare(c);
                    ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    keys.add(new Key(rs.getString(1), rs.getInt(2)));
                }
            }
            Page<Key> page = PageToken.page(keys, offset, maxResults);
            List<ModelVersion> versions = new ArrayList<>();
            for (Key k : page.items()) {
                versions.add(loadVersion(c, k.name(), k.version()));
            }
            return new Page<>(versions, page.nextPageToken());
        });
    }

    @Override
    public String getModelVersionDownloadUri(String name, String version) {
        Validation.modelName(name);
        int number = Validation.modelVersion(version);
        return store.read(c -> downloadUri(c, name, number));
    }

    private static String downloadUri(Connection c, String name, int version) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT storage_location, source FROM model_versions WHERE name = ?"
                + " AND version = ? AND current_stage <> ?")) {
            p.setString(1, name);
            p.setInt(2, version);
            p.setString(3, ModelStage.DELETED_INTERNAL);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw versionNotFound(name, version);
                }
                String location = rs.getString(1);
                return location == null || location.isEmpty() ? rs.getString(2) : location;
            }
        }
    }

    @Override
    public void setModelVersionTag(String name, String version, Tag tag) {
        Validation.modelName(name);
        int number = Validation.modelVersion(version);
        Validation.tag(tag);
        store.write(c -> {
            loadVersion(c, name, number);
            upsertVersionTag(c, name, number, tag);
            return null;
        });
    }

    @Override
    public void deleteModelVersionTag(String name, String version, String key) {
        Validation.modelName(name);
        int number = Validation.modelVersion(version);
        Validation.name("tags", key);
        store.write(c -> {
            loadVersion(c, name, number);
            return JdbcTrackerStore.update(c, "DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?",
                    name, number, key);
        });
    }

    private static void upsertVersionTag(Connection c, String name, int version, Tag t) throws SQLException {
        JdbcTrackerStore.update(c, "INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value", name, version, t.key(), t.value());
    }

    private static MlflowException versionNotFound(String name, int version) {
        return MlflowException.notFound("Model Version (name=" + name + ", version=" + version + ") not found");
    }

    private static ModelVersion loadVersion(Connection c, String name, int version) throws SQLException {
        ModelVersion v;
        try (PreparedStatement p = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE name = ?"
                + " AND version = ? AND current_stage <> ?")) {
            p.setString(1, name);
            p.setInt(2, version);
            p.setString(3, ModelStage.DELETED_INTERNAL);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw versionNotFound(name, version);
                }
                v = new ModelVersion(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), List.of(), List.of());
            }
        }
        List<Tag> tags = rows(c, "SELECT key, value FROM model_version_tags WHERE name = ? AND version = ? ORDER BY key",
                rs -> new Tag(rs.getString(1), rs.getString(2)), name, version);
        List<String> aliases = rows(c, "SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias",
                rs -> rs.getString(1), name, version);
        return new ModelVersion(v.name(), v.version(), v.creationTimestamp(), v.lastUpdatedTimestamp(), v.description(),
                v.currentStage(), v.source(), v.runId(), v.runLink(), v.status(), tags, aliases);
    }

    /** One row of a result, read into a value. */
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Every row of {@code sql}, with {@code args} bound in order, read by {@code reader}. */
    private static <T> List<T> rows(Connection c, String sql, RowReader<T> reader, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) p.setObject(i + 1, args[i]);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(reader.read(rs));
            }
            return out;
        }
    }

    // ---- aliases ----

    @Override
    public void setRegisteredModelAlias(String name, String alias, String version) {
        Validation.modelName(name);
        Validation.modelAlias(alias);
        int number = Validation.modelVersion(version);
        store.write(c -> {
            loadVersion(c, name, number);
            return JdbcTrackerStore.update(c, "INSERT INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version", name, alias, number);
        });
    }

    @Override
    public void deleteRegisteredModelAlias(String name, String alias) {
        Validation.modelName(name);
        Validation.modelAlias(alias);
        store.write(c -> {
            requireModel(c, name);
            return JdbcTrackerStore.update(c, "DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?", name, alias);
        });
    }

    @Override
    public ModelVersion getModelVersionByAlias(String name, String alias) {
        Validation.modelName(name);
        Validation.modelAlias(alias);
        return store.read(c -> loadVersion(c, name, aliasedVersion(c, name, alias)));
    }

    private static int aliasedVersion(Connection c, String name, String alias) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?")) {
            p.setString(1, name);
            p.setString(2, alias);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw MlflowException.invalidParameter("Registered model alias " + alias + " not found.");
                }
                return rs.getInt(1);
            }
        }
    }

    private static void checkMaxResults(int maxResults, int limit) {
        if (maxResults < 1 || maxResults > limit) {
            throw MlflowException.invalidParameter("Invalid value for request parameter max_results. It must be at most "
                    + limit + " and positive, but got value " + maxResults);
        }
    }
}
