package yardstick.tracker.ui;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;
import yardstick.tracker.model.ModelAlias;
import yardstick.tracker.model.ModelVersion;
import yardstick.tracker.model.Page;
import yardstick.tracker.model.RegisteredModel;
import yardstick.tracker.model.Tag;
import yardstick.tracker.store.ModelRegistry;

/** The Model Registry's pages: every registered model, and one model with its versions. */
final class ModelPages {
    private static final int MODELS_PER_PAGE = 500;
    private static final int VERSIONS_SHOWN = 10_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final ModelRegistry registry;

    ModelPages(ModelRegistry registry) {
        this.registry = registry;
    }

    /** The page at {@code /models}: name, latest version, aliases and last update of each model. */
    String models(String pageToken) {
        Page<RegisteredModel> page = registry.searchRegisteredModels(null, List.of("name ASC"), MODELS_PER_PAGE, pageToken);
        Html h = new Html().raw("<h1>Models</h1><table id=\"models\"><thead><tr><th>Name</th><th>Latest version</th>"
                + "<th>Aliases</th><th>Updated</th></tr></thead><tbody>");
        for (RegisteredModel m : page.items()) {
            int latest = m.latestVersions().stream().mapToInt(ModelVersion::version).max().orElse(0);
            h.raw("<tr class=\"model-row\"><td><a class=\"model-link\" href=\"").text(modelUrl(m.name())).raw("\">")
                    .text(m.name()).raw("</a></td><td class=\"latest-version\">").text(latest == 0 ? "" : "Version " + latest)
                    .raw("</td><td class=\"aliases\">").text(aliases(m.aliases())).raw("</td><td>")
                    .text(time(m.lastUpdatedTimestamp())).raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        if (page.items().isEmpty()) {
            h.raw("<p id=\"no-models\">No registered models yet.</p>");
        }
        if (page.nextPageToken() != null) {
            h.raw("<p><a id=\"next-page\" href=\"/models?page_token=").text(url(page.nextPageToken())).raw("\">Next page</a></p>");
        }
        return Pages.layout("Models", h.toString());
    }

    /** The page at {@code /models/NAME}: the model's description, tags, aliases and versions, newest first. */
    String model(String encodedName) {
        String name = URLDecoder.decode(encodedName, StandardCharsets.UTF_8);
        RegisteredModel m = registry.getRegisteredModel(name);
        List<ModelVersion> versions = registry.searchModelVersions("name = '" + name.replace("'", "''") + "'",
                List.of("version_number DESC"), VERSIONS_SHOWN, null).items();
        Html h = new Html().raw("<p><a href=\"/models\">Models</a></p><h1 id=\"model-name\">").text(m.name()).raw("</h1>");
        if (m.description() != null && !m.description().isEmpty()) {
            h.raw("<p id=\"model-description\">").text(m.description()).raw("</p>");
        }
        h.raw("<table class=\"info\"><tr><th>Created</th><td>").text(time(m.creationTimestamp()))
                .raw("</td></tr><tr><th>Updated</th><td>").text(time(m.lastUpdatedTimestamp()))
                .raw("</td></tr><tr><th>Aliases</th><td id=\"model-aliases\">").text(aliases(m.aliases()))
                .raw("</td></tr></table>");
        if (!m.tags().isEmpty()) {
            h.raw("<h2>Tags</h2><table id=\"model-tags\"><tbody>");
            for (Tag t : m.tags()) {
                h.raw("<tr><th>").text(t.key()).raw("</th><td>").text(t.value()).raw("</td></tr>");
            }
            h.raw("</tbody></table>");
        }
        h.raw("<h2>Versions</h2><table id=\"versions\"><thead><tr><th>Version</th><th>Stage</th><th>Aliases</th>"
                + "<th>Source run</th><th>Source</th><th>Created</th></tr></thead><tbody>");
        for (ModelVersion v : versions) {
            h.raw("<tr class=\"version-row\" data-version=\"").text(Integer.toString(v.version())).raw("\"><td>")
                    .text("Version " + v.version()).raw("</td><td class=\"stage\">").text(v.currentStage())
                    .raw("</td><td class=\"aliases\">").text(String.join(", ", v.aliases())).raw("</td><td>");
            if (v.runId() != null && !v.runId().isEmpty()) {
                h.raw("<a class=\"run-link\" href=\"/runs/").text(url(v.runId())).raw("\">").text(v.runId()).raw("</a>");
            }
            h.raw("</td><td class=\"source\">").text(v.source()).raw("</td><td>").text(time(v.creationTimestamp()))
                    .raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        return Pages.layout(m.name(), h.toString());
    }

    static String modelUrl(String name) {
        return "/models/" + url(name);
    }

    private static String aliases(List<ModelAlias> aliases) {
        return aliases.stream().map(a -> a.alias() + " \u2192 v" + a.version()).collect(Collectors.joining(", "));
    }

    private static String time(long millis) {
        return millis <= 0 ? "" : TIME.format(Instant.ofEpochMilli(millis));
    }

    private static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
