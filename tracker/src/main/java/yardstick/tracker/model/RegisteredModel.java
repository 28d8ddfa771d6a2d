package yardstick.tracker.model;

import java.util.List;

/**
 * A registered model of MLflow's Model Registry: a named series of model versions with tags and
 * aliases; {@code latestVersions} holds the newest version in each stage, {@code description} may be null.
 */
public record RegisteredModel(
        String name,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        String description,
        List<ModelVersion> latestVersions,
        List<Tag> tags,
        List<ModelAlias> aliases) {
    public RegisteredModel {
        latestVersions = List.copyOf(latestVersions);
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }
}
