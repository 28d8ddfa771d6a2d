package yardstick.tracker.ui;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import yardstick.tracker.model.ModelAlias;
import yardstick.tracker.model.ModelVersion;
import yardstick.tracker.model.Page;
import yardstick.tracker.model.RegisteredModel;
import yardstick.tracker.store.ModelRegistry;

/** The Model Registry's pages: every registered model, and one model with its versions. */
public final class ModelPages {
    private static final int MODELS_PER_PAGE = 500;
    private static final int VERSIONS_SHOWN = 10_000;

    private final ModelRegistry registry;

    ModelPages(ModelRegistry registry) {
        this.registry = registry;
    }

    /** The page at {@code /models}: name, latest version, aliases and last update of each model. */
    String models(String pageToken) {
        Page<RegisteredModel> page = registry.searchRegisteredModels(null, List.of("name ASC"), MODELS_PER_PAGE, pageToken);
        return Templates.render("models.jte", "models", page.items(), "nextPageToken", page.nextPageToken());
    }

    /** The page at {@code /models/NAME}: the model's description, tags, aliases and versions, newest first. */
    String model(String encodedName) {
        String name = URLDecoder.decode(encodedName, StandardCharsets.UTF_8);
        RegisteredModel m = registry.getRegisteredModel(name);
        List<ModelVersion> versions = registry.searchModelVersions("name = '" + name.replace("'", "''") + "'",
                List.of("version_number DESC"), VERSIONS_SHOWN, null).items();
        return Templates.render("model.jte", "m", m, "versions", versions);
    }

    public static String modelUrl(String name) {
        return "/models/" + Format.url(name);
    }

    public static String latestVersion(RegisteredModel m) {
        int latest = m.latestVersions().stream().mapToInt(ModelVersion::version).max().orElse(0);
        return latest == 0 ? "" : "Version " + latest;
    }

    public static String aliases(List<ModelAlias> aliases) {
        return aliases.stream().map(a -> a.alias() + " \u2192 v" + a.version()).collect(Collectors.joining(", "));
    }
}
