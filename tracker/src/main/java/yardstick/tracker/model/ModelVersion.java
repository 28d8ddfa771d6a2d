package yardstick.tracker.model;

import java.util.List;

/**
 * One version of a registered model: where its files are ({@code source}, kept as given), the run
 * that made it, its stage, tags and the aliases that point at it. Nullable: description, runId, runLink.
 */
public record ModelVersion(
        String name,
        int version,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        String description,
        String currentStage,
        String source,
        String runId,
        String runLink,
        String status,
        List<Tag> tags,
        List<String> aliases) {
    /** MLflow registers synchronously on a SQL store, so every version is READY once created. */
    public static final String READY = "READY";

    public ModelVersion {
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }
}
