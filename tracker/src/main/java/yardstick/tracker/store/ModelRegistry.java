package yardstick.tracker.store;

import java.util.List;
import yardstick.tracker.model.ModelVersion;
import yardstick.tracker.model.Page;
import yardstick.tracker.model.RegisteredModel;
import yardstick.tracker.model.Tag;

/**
 * MLflow's Model Registry on the tracker's store, with the semantics of MLflow's SQL registry store.
 * Versions are passed as MLflow sends them, as strings; a version that is not an integer is
 * INVALID_PARAMETER_VALUE. Every method is atomic, as {@link TrackerStore}'s are.
 */
public interface ModelRegistry {
    /** Creates a model; a name in use is RESOURCE_ALREADY_EXISTS. */
    RegisteredModel createRegisteredModel(String name, List<Tag> tags, String description);

    RegisteredModel getRegisteredModel(String name);

    /** Models matching an MLflow filter ({@code name LIKE 'x%'}, {@code tags.k = 'v'}), ordered by name unless told. */
    Page<RegisteredModel> searchRegisteredModels(String filter, List<String> orderBy, int maxResults, String pageToken);

    /** Renames a model together with its versions, tags and aliases. */
    RegisteredModel renameRegisteredModel(String name, String newName);

    /** Sets the description; null leaves it as it is. */
    RegisteredModel updateRegisteredModel(String name, String description);

    /** Deletes a model with all its versions, tags and aliases. */
    void deleteRegisteredModel(String name);

    void setRegisteredModelTag(String name, Tag tag);

    /** Deletes a model's tag; a tag that is not there is no error, as in MLflow. */
    void deleteRegisteredModelTag(String name, String key);

    /** The newest version in each of {@code stages} (every stage when empty). */
    List<ModelVersion> getLatestVersions(String name, List<String> stages);

    /**
     * Registers {@code source} as the model's next version (one more than the highest ever given), READY at once.
     * The source is kept as given; its download URI is resolved now (see {@link #getModelVersionDownloadUri}).
     */
    ModelVersion createModelVersion(String name, String source, String runId, List<Tag> tags, String runLink,
            String description);

    ModelVersion getModelVersion(String name, String version);

    /** Sets the description; null leaves it as it is. */
    ModelVersion updateModelVersion(String name, String version, String description);

    /** Moves a version to a stage; with {@code archiveExisting}, the other versions in that stage go to Archived. */
    ModelVersion transitionModelVersionStage(String name, String version, String stage, boolean archiveExisting);

    /** Deletes a version and the aliases pointing at it; its number is not given out again. */
    void deleteModelVersion(String name, String version);

    /** Versions matching an MLflow filter ({@code name = 'x'}, {@code run_id = '...'}), newest update first unless told. */
    Page<ModelVersion> searchModelVersions(String filter, List<String> orderBy, int maxResults, String pageToken);

    /**
     * Where a version's files can be read: for a {@code runs:/RUN_ID/path} source of a run in this store, the
     * run's artifact URI joined with the path (an {@code mlflow-artifacts:} URI this tracker serves); for a
     * {@code models:/NAME/VERSION} source, that version's download URI; otherwise the source itself.
     */
    String getModelVersionDownloadUri(String name, String version);

    void setModelVersionTag(String name, String version, Tag tag);

    void deleteModelVersionTag(String name, String version, String key);

    /** Points an alias at a version, moving it if it pointed elsewhere. */
    void setRegisteredModelAlias(String name, String alias, String version);

    void deleteRegisteredModelAlias(String name, String alias);

    /** The version an alias names; an unknown alias is INVALID_PARAMETER_VALUE, as MLflow answers. */
    ModelVersion getModelVersionByAlias(String name, String alias);
}
