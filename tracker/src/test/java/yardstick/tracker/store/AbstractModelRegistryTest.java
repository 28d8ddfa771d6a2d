package yardstick.tracker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.ModelAlias;
import yardstick.tracker.model.ModelVersion;
import yardstick.tracker.model.Page;
import yardstick.tracker.model.RegisteredModel;
import yardstick.tracker.model.Tag;

/** The Model Registry's contract on the store, run against every back end: each subclass hands in the databases of its kind. */
abstract class AbstractModelRegistryTest {
    private final TestDatabase database;
    protected TrackerStore store;
    protected ModelRegistry registry;

    protected AbstractModelRegistryTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        store = JdbcTrackerStore.open(database.newDatabase(), "mlflow-artifacts:");
        registry = store.modelRegistry();
    }

    @AfterEach
    void close() {
        try {
            store.close();
        } finally {
            database.close();
        }
    }

    private static MlflowException fails(ErrorCode code, org.junit.jupiter.api.function.Executable action) {
        MlflowException e = assertThrows(MlflowException.class, action);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    private String newRun() {
        return store.createRun("0", "tester", 1000, null, List.of()).info().runId();
    }

    private ModelVersion register(String name, String source) {
        return registry.createModelVersion(name, source, null, List.of(), null, null);
    }

    @Test
    void registeredModelsRoundTrip() {
        RegisteredModel m = registry.createRegisteredModel("clf", List.of(new Tag("team", "nlp")), "a classifier");
        assertEquals("clf", m.name());
        assertEquals("a classifier", m.description());
        assertEquals(List.of(new Tag("team", "nlp")), m.tags());
        assertTrue(m.latestVersions().isEmpty());
        assertTrue(m.creationTimestamp() > 0 && m.creationTimestamp() == m.lastUpdatedTimestamp());
        assertEquals(m, registry.getRegisteredModel("clf"));

        MlflowException exists = fails(ErrorCode.RESOURCE_ALREADY_EXISTS, () -> registry.createRegisteredModel("clf", List.of(), null));
        assertTrue(exists.getMessage().contains("clf"), exists.getMessage());
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> registry.createRegisteredModel("", List.of(), null));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> registry.createRegisteredModel("bad-tag", List.of(new Tag("a/../b", "x")), null));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.getRegisteredModel("nope"));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.getRegisteredModel("bad-tag"));

        assertEquals("better", registry.updateRegisteredModel("clf", "better").description());
        assertEquals("better", registry.updateRegisteredModel("clf", null).description(), "null keeps the description");
        registry.setRegisteredModelTag("clf", new Tag("owner", "ana"));
        registry.setRegisteredModelTag("clf", new Tag("team", "vision"));
        registry.deleteRegisteredModelTag("clf", "owner");
        registry.deleteRegisteredModelTag("clf", "never-set");
        assertEquals(List.of(new Tag("team", "vision")), registry.getRegisteredModel("clf").tags());
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.setRegisteredModelTag("nope", new Tag("k", "v")));
    }

    @Test
    void renameCarriesVersionsTagsAndAliases() {
        registry.createRegisteredModel("old", List.of(new Tag("k", "v")), null);
        register("old", "mlflow-artifacts:/0/r/artifacts/m");
        registry.setModelVersionTag("old", "1", new Tag("vk", "vv"));
        registry.setRegisteredModelAlias("old", "champion", "1");
        registry.createRegisteredModel("taken", List.of(), null);
        fails(ErrorCode.RESOURCE_ALREADY_EXISTS, () -> registry.renameRegisteredModel("old", "taken"));

        RegisteredModel renamed = registry.renameRegisteredModel("old", "new");
        assertEquals("new", renamed.name());
        assertEquals(List.of(new Tag("k", "v")), renamed.tags());
        assertEquals(List.of(new ModelAlias("champion", 1)), renamed.aliases());
        ModelVersion v = registry.getModelVersion("new", "1");
        assertEquals("new", v.name());
        assertEquals(List.of(new Tag("vk", "vv")), v.tags());
        assertEquals(List.of("champion"), v.aliases());
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.getRegisteredModel("old"));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.getModelVersion("old", "1"));
    }

    @Test
    void versionsAreNumberedAndNeverReused() {
        String runId = newRun();
        registry.createRegisteredModel("m", List.of(), null);
        ModelVersion v1 = registry.createModelVersion("m", "runs:/" + runId + "/model", runId,
                List.of(new Tag("data", "v7")), "http://ci/run/1", "first");
        assertEquals(1, v1.version());
        assertEquals("None", v1.currentStage());
        assertEquals("READY", v1.status());
        assertEquals("runs:/" + runId + "/model", v1.source(), "the source is kept as given");
        assertEquals(runId, v1.runId());
        assertEquals("http://ci/run/1", v1.runLink());
        assertEquals("first", v1.description());
        assertEquals(List.of(new Tag("data", "v7")), v1.tags());
        assertEquals(v1, registry.getModelVersion("m", "1"));
        assertEquals(2, register("m", "mlflow-artifacts:/0/x/artifacts/m").version());
        assertEquals(3, register("m", "s3://bucket/models/m").version());

        registry.deleteModelVersion("m", "3");
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.getModelVersion("m", "3"));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.deleteModelVersion("m", "3"));
        assertEquals(4, register("m", "s3://bucket/models/m2").version(), "a deleted version's number is not reused");

        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.getModelVersion("m", "99"));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> registry.getModelVersion("m", "one"));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> register("no-such-model", "s3://b/m"));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> register("m", ""));

        assertEquals("edited", registry.updateModelVersion("m", "2", "edited").description());
        assertEquals("edited", registry.getModelVersion("m", "2").description());
        registry.setModelVersionTag("m", "2", new Tag("k", "1"));
        registry.setModelVersionTag("m", "2", new Tag("k", "2"));
        registry.setModelVersionTag("m", "2", new Tag("gone", "x"));
        registry.deleteModelVersionTag("m", "2", "gone");
        assertEquals(List.of(new Tag("k", "2")), registry.getModelVersion("m", "2").tags());
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.setModelVersionTag("m", "3", new Tag("k", "v")));
    }

    @Test
    void sourcesAreCheckedAsMlflowChecksThem() {
        registry.createRegisteredModel("m", List.of(), null);
        String runId = newRun();
        for (String bad : List.of("/tmp/model", "file:///tmp/model", "relative/model", "mlflow-artifacts:/0/r/../../../etc",
                "mlflow-artifacts:/0/r/%2e%2e/%2e%2e/etc", "s3://bucket/a/./b", "runs:/" + runId + "/../other")) {
            MlflowException e = fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> registry.createModelVersion("m", bad, runId,
                    List.of(), null, null));
            assertTrue(e.getMessage().contains("Invalid model version source"), e.getMessage());
        }
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> register("m", "models:/m/latest/extra"));
        assertEquals(0, registry.searchModelVersions("name = 'm'", List.of(), 10, null).items().size(), "nothing was stored");
    }

    @Test
    void downloadUriResolvesRunsAndModelsSources() {
        String runId = newRun();
        String artifactUri = store.getRun(runId).info().artifactUri();
        registry.createRegisteredModel("m", List.of(), null);
        registry.createModelVersion("m", "runs:/" + runId + "/model", runId, List.of(), null, null);
        registry.createModelVersion("m", "runs:/" + runId, runId, List.of(), null, null);
        register("m", "mlflow-artifacts:/0/abc/artifacts/model");
        register("m", "runs:/ffffffffffffffffffffffffffffffff/model");
        register("m", "models:/m/1");
        registry.setRegisteredModelAlias("m", "champion", "3");
        register("m", "models:/m@champion");

        assertEquals(artifactUri + "/model", registry.getModelVersionDownloadUri("m", "1"));
        assertTrue(registry.getModelVersionDownloadUri("m", "1").startsWith("mlflow-artifacts:/0/" + runId + "/artifacts"));
        assertEquals(artifactUri, registry.getModelVersionDownloadUri("m", "2"));
        assertEquals("mlflow-artifacts:/0/abc/artifacts/model", registry.getModelVersionDownloadUri("m", "3"));
        assertEquals("runs:/ffffffffffffffffffffffffffffffff/model", registry.getModelVersionDownloadUri("m", "4"),
                "a run this store does not know is left to the client to resolve");
        assertEquals(artifactUri + "/model", registry.getModelVersionDownloadUri("m", "5"));
        assertEquals("models:/m/1", registry.getModelVersion("m", "5").source());
        assertEquals("mlflow-artifacts:/0/abc/artifacts/model", registry.getModelVersionDownloadUri("m", "6"));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.getModelVersionDownloadUri("m", "7"));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> register("m", "models:/m/99"));
    }

    @Test
    void stagesAndLatestVersions() {
        registry.createRegisteredModel("m", List.of(), null);
        for (int i = 0; i < 4; i++) {
            register("m", "s3://b/m" + i);
        }
        assertEquals(List.of(4), versions(registry.getLatestVersions("m", List.of())));
        assertEquals("Production", registry.transitionModelVersionStage("m", "1", "production", false).currentStage());
        registry.transitionModelVersionStage("m", "2", "Staging", false);
        ModelVersion v3 = registry.transitionModelVersionStage("m", "3", "Production", true);
        assertEquals("Production", v3.currentStage());
        assertEquals("Archived", registry.getModelVersion("m", "1").currentStage(), "archive_existing_versions archived v1");
        assertEquals("Staging", registry.getModelVersion("m", "2").currentStage(), "another stage is left alone");

        assertEquals(List.of(1, 2, 3, 4), versions(registry.getLatestVersions("m", List.of())));
        assertEquals(List.of(3), versions(registry.getLatestVersions("m", List.of("production"))));
        assertEquals(List.of(2, 3), versions(registry.getLatestVersions("m", List.of("Staging", "Production"))));
        assertEquals(List.of(1, 2, 3, 4), versions(registry.getRegisteredModel("m").latestVersions()));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> registry.getLatestVersions("m", List.of("Shipping")));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> registry.transitionModelVersionStage("m", "4", "Gold", false));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> registry.transitionModelVersionStage("m", "4", "Archived", true));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.getLatestVersions("nope", List.of()));
        registry.deleteModelVersion("m", "4");
        assertEquals(List.of(1, 2, 3), versions(registry.getLatestVersions("m", List.of())));
    }

    private static List<Integer> versions(List<ModelVersion> versions) {
        return versions.stream().map(ModelVersion::version).sorted().toList();
    }

    @Test
    void aliasesNameOneVersionEach() {
        registry.createRegisteredModel("m", List.of(), null);
        register("m", "s3://b/1");
        register("m", "s3://b/2");
        registry.setRegisteredModelAlias("m", "champion", "1");
        registry.setRegisteredModelAlias("m", "challenger", "2");
        assertEquals(1, registry.getModelVersionByAlias("m", "champion").version());
        assertEquals(List.of("champion"), registry.getModelVersion("m", "1").aliases());
        registry.setRegisteredModelAlias("m", "champion", "2");
        assertEquals(List.of("challenger", "champion"), registry.getModelVersion("m", "2").aliases());
        assertEquals(List.of(), registry.getModelVersion("m", "1").aliases());
        assertEquals(List.of(new ModelAlias("challenger", 2), new ModelAlias("champion", 2)),
                registry.getRegisteredModel("m").aliases());

        MlflowException unknown = fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> registry.getModelVersionByAlias("m", "nobody"));
        assertTrue(unknown.getMessage().contains("nobody"), unknown.getMessage());
        for (String bad : List.of("latest", "LATEST", "v1", "V12", "has space", "a.b", "")) {
            fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> registry.setRegisteredModelAlias("m", bad, "1"));
        }
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.setRegisteredModelAlias("m", "ghost", "9"));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.deleteRegisteredModelAlias("nope", "champion"));

        registry.deleteRegisteredModelAlias("m", "challenger");
        registry.deleteRegisteredModelAlias("m", "challenger");
        assertEquals(List.of("champion"), registry.getModelVersion("m", "2").aliases());
        registry.deleteModelVersion("m", "2");
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> registry.getModelVersionByAlias("m", "champion"));
        assertTrue(registry.getRegisteredModel("m").aliases().isEmpty(), "deleting a version drops its aliases");
    }

    @Test
    void searchRegisteredModelsFiltersOrdersAndPages() {
        for (String name : List.of("alpha", "Alphabet", "beta", "gamma_1", "gamma%2")) {
            registry.createRegisteredModel(name, List.of(new Tag("group", name.startsWith("gamma") ? "g" : "ab")), null);
        }
        assertEquals(List.of("Alphabet", "alpha", "beta", "gamma%2", "gamma_1"), modelNames(null, List.of()));
        assertEquals(List.of("alpha"), modelNames("name = 'alpha'", List.of()));
        assertEquals(List.of("alpha"), modelNames("name LIKE 'alpha%'", List.of()));
        assertEquals(List.of("Alphabet", "alpha"), modelNames("name ILIKE 'alpha%'", List.of()));
        assertEquals(List.of("Alphabet", "beta", "gamma%2", "gamma_1"), modelNames("name != 'alpha'", List.of()));
        assertEquals(List.of("gamma%2", "gamma_1"), modelNames("tags.group = 'g'", List.of()));
        assertEquals(List.of("gamma_1"), modelNames("tags.group = 'g' and name LIKE '%1'", List.of()));
        assertEquals(List.of("gamma_1", "gamma%2", "beta", "alpha", "Alphabet"), modelNames(null, List.of("name DESC")));
        registry.updateRegisteredModel("beta", "touched");
        assertEquals("beta", modelNames(null, List.of("timestamp DESC")).getFirst());

        List<String> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page<RegisteredModel> page = registry.searchRegisteredModels(null, List.of("name ASC"), 2, token);
            page.items().forEach(m -> paged.add(m.name()));
            token = page.nextPageToken();
            pages++;
        } while (token != null);
        assertEquals(3, pages);
        assertEquals(modelNames(null, List.of()), paged);

        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> modelNames("description = 'x'", List.of()));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> modelNames("metrics.acc > 1", List.of()));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> modelNames("name >> 'x'", List.of()));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> modelNames(null, List.of("tags.group ASC")));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> modelNames(null, List.of("name ASC", "name DESC")));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> registry.searchRegisteredModels(null, List.of(), 1001, null));
    }

    private List<String> modelNames(String filter, List<String> orderBy) {
        return registry.searchRegisteredModels(filter, orderBy, 100, null).items().stream().map(RegisteredModel::name).toList();
    }

    @Test
    void searchModelVersionsByNameRunAndTags() {
        String runA = newRun();
        String runB = newRun();
        registry.createRegisteredModel("a", List.of(), null);
        registry.createRegisteredModel("b", List.of(), null);
        registry.createModelVersion("a", "runs:/" + runA + "/m", runA, List.of(new Tag("q", "good")), null, null);
        registry.createModelVersion("a", "runs:/" + runB + "/m", runB, List.of(), null, null);
        registry.createModelVersion("b", "runs:/" + runA + "/m", runA, List.of(new Tag("q", "good")), null, null);
        registry.createModelVersion("a", "s3://b/m", null, List.of(), null, null);
        registry.deleteModelVersion("a", "3");

        assertEquals(Set.of("a/1", "a/2"), keys("name = 'a'", List.of()));
        assertEquals(Set.of("a/1", "b/1"), keys("run_id = '" + runA + "'", List.of()));
        assertEquals(Set.of("a/1", "a/2", "b/1"), keys("run_id IN ('" + runA + "', '" + runB + "')", List.of()));
        assertEquals(Set.of("a/2"), keys("name = 'a' and version_number > 1", List.of()));
        assertEquals(Set.of("a/1", "b/1"), keys("tags.q = 'good'", List.of()));
        assertEquals(Set.of("a/1", "a/2", "b/1"), keys("source_path LIKE 'runs:/%'", List.of()));
        assertEquals(Set.of("a/1", "a/2", "b/1"), keys(null, List.of()), "deleted versions are not found");
        List<String> ordered = registry.searchModelVersions(null, List.of("name ASC", "version_number ASC"), 10, null).items()
                .stream().map(v -> v.name() + "/" + v.version()).toList();
        assertEquals(List.of("a/1", "a/2", "b/1"), ordered);
        Page<ModelVersion> first = registry.searchModelVersions(null, List.of("name DESC"), 2, null);
        assertEquals(List.of("b/1", "a/2"), first.items().stream().map(v -> v.name() + "/" + v.version()).toList());
        assertNotNull(first.nextPageToken());
        Page<ModelVersion> second = registry.searchModelVersions(null, List.of("name DESC"), 2, first.nextPageToken());
        assertEquals(List.of("a/1"), second.items().stream().map(v -> v.name() + "/" + v.version()).toList());
        assertNull(second.nextPageToken());

        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> keys("name IN ('a')", List.of()));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> keys("stage = 'None'", List.of()));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> keys("version_number = 'one'", List.of()));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> keys(null, List.of("source_path ASC")));
    }

    private Set<String> keys(String filter, List<String> orderBy) {
        Set<String> out = new HashSet<>();
        registry.searchModelVersions(filter, orderBy, 100, null).items().forEach(v -> out.add(v.name() + "/" + v.version()));
        return out;
    }

    @Test
    void deletingAModelDeletesItsVersionsTagsAndAliases() {
        registry.createRegisteredModel("m", List.of(new Tag("k", "v")), null);
        register("m", "s3://b/1");
        registry.setModelVersionTag("m", "1", new Tag("vk", "vv"));
        registry.setRegisteredModelAlias("m", "champion", "1");
        registry.deleteRegisteredModel("m");
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.getRegisteredModel("m"));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.getModelVersion("m", "1"));
        fails(ErrorCode.INVALID_PARAMETER_VALUE, () -> registry.getModelVersionByAlias("m", "champion"));
        fails(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> registry.deleteRegisteredModel("m"));
        assertTrue(registry.searchModelVersions("name = 'm'", List.of(), 10, null).items().isEmpty());

        RegisteredModel again = registry.createRegisteredModel("m", List.of(), null);
        assertTrue(again.tags().isEmpty() && again.aliases().isEmpty());
        ModelVersion v = register("m", "s3://b/new");
        assertEquals(1, v.version(), "a new model with an old name starts again at version 1");
        assertTrue(v.tags().isEmpty() && v.aliases().isEmpty());
    }

    @Test
    void reopeningKeepsTheRegistry() {
        registry.createRegisteredModel("durable", List.of(), "kept");
        register("durable", "s3://b/1");
        registry.setRegisteredModelAlias("durable", "prod", "1");
        store.close();
        store = JdbcTrackerStore.open(database.sameDatabase(), "mlflow-artifacts:");
        registry = store.modelRegistry();
        assertEquals("kept", registry.getRegisteredModel("durable").description());
        assertEquals(1, registry.getModelVersionByAlias("durable", "prod").version());
    }

    @Test
    void concurrentRegistrationsGetDistinctNumbers() throws Exception {
        registry.createRegisteredModel("busy", List.of(), null);
        int threads = 8;
        int each = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Integer>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                List<Integer> got = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    got.add(register("busy", "s3://b/" + thread + "/" + i).version());
                }
                return got;
            }));
        }
        Set<Integer> numbers = new HashSet<>();
        for (Future<List<Integer>> f : futures) {
            numbers.addAll(f.get());
        }
        pool.shutdown();
        Set<Integer> expected = new HashSet<>();
        for (int n = 1; n <= threads * each; n++) {
            expected.add(n);
        }
        assertEquals(expected, numbers);
    }
}
