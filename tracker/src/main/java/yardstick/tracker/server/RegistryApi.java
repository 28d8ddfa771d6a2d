package yardstick.tracker.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import yardstick.tracker.model.ModelVersion;
import yardstick.tracker.model.Page;
import yardstick.tracker.model.RegisteredModel;
import yardstick.tracker.model.Tag;
import yardstick.tracker.store.ModelRegistry;

/**
 * MLflow's REST API 2.0 Model Registry endpoints (model_registry.proto), each bound to the HTTP method MLflow
 * binds it to: {@code registered-models/alias} sets with POST, deletes with DELETE and reads with GET.
 */
final class RegistryApi {
    private static final int DEFAULT_MODEL_RESULTS = 100;
    private static final int DEFAULT_VERSION_RESULTS = 200_000;

    private final ModelRegistry registry;
    private final Routes routes;

    /** Binds the registry's endpoints into {@code routes}. */
    RegistryApi(ModelRegistry registry, Routes routes) {
        this.registry = registry;
        this.routes = routes;
        on("POST", "registered-models/create", r -> model(registry.createRegisteredModel(r.requiredString("name"),
                tags(r.objects("tags")), r.string("description"))));
        on("GET", "registered-models/get", r -> model(registry.getRegisteredModel(r.requiredString("name"))));
        on("GET", "registered-models/search", this::searchModels);
        on("POST", "registered-models/rename", r -> model(registry.renameRegisteredModel(r.requiredString("name"),
                r.requiredString("new_name"))));
        on("PATCH", "registered-models/update", r -> model(registry.updateRegisteredModel(r.requiredString("name"),
                r.string("description"))));
        on("DELETE", "registered-models/delete", r -> {
            registry.deleteRegisteredModel(r.requiredString("name"));
            return JsonCodec.object();
        });
        on("POST", "registered-models/set-tag", r -> {
            registry.setRegisteredModelTag(r.requiredString("name"), new Tag(r.requiredString("key"), valueOrEmpty(r)));
            return JsonCodec.object();
        });
        on("DELETE", "registered-models/delete-tag", r -> {
            registry.deleteRegisteredModelTag(r.requiredString("name"), r.requiredString("key"));
            return JsonCodec.object();
        });
        on("POST", "registered-models/alias", r -> {
            registry.setRegisteredModelAlias(r.requiredString("name"), r.requiredString("alias"), r.requiredString("version"));
            return JsonCodec.object();
        });
        on("DELETE", "registered-models/alias", r -> {
            registry.deleteRegisteredModelAlias(r.requiredString("name"), r.requiredString("alias"));
            return JsonCodec.object();
        });
        on("GET", "registered-models/alias", r -> version(registry.getModelVersionByAlias(r.requiredString("name"),
                r.requiredString("alias"))));
        Routes.Endpoint latest = r -> versions(registry.getLatestVersions(r.requiredString("name"), r.stringList("stages")));
        on("POST", "registered-models/get-latest-versions", latest);
        on("GET", "registered-models/get-latest-versions", latest);
        on("POST", "model-versions/create", r -> version(registry.createModelVersion(r.requiredString("name"),
                r.requiredString("source"), r.string("run_id"), tags(r.objects("tags")), r.string("run_link"),
                r.string("description"))));
        on("GET", "model-versions/get", r -> version(registry.getModelVersion(r.requiredString("name"),
                r.requiredString("version"))));
        on("GET", "model-versions/search", this::searchVersions);
        on("PATCH", "model-versions/update", r -> version(registry.updateModelVersion(r.requiredString("name"),
                r.requiredString("version"), r.string("description"))));
        on("DELETE", "model-versions/delete", r -> {
            registry.deleteModelVersion(r.requiredString("name"), r.requiredString("version"));
            return JsonCodec.object();
        });
        on("POST", "model-versions/set-tag", r -> {
            registry.setModelVersionTag(r.requiredString("name"), r.requiredString("version"),
                    new Tag(r.requiredString("key"), valueOrEmpty(r)));
            return JsonCodec.object();
        });
        on("DELETE", "model-versions/delete-tag", r -> {
            registry.deleteModelVersionTag(r.requiredString("name"), r.requiredString("version"), r.requiredString("key"));
            return JsonCodec.object();
        });
        on("POST", "model-versions/transition-stage", r -> {
            Boolean archive = r.bool("archive_existing_versions");
            return version(registry.transitionModelVersionStage(r.requiredString("name"), r.requiredString("version"),
                    r.requiredString("stage"), archive != null && archive));
        });
        on("GET", "model-versions/get-download-uri", r -> JsonCodec.object().put("artifact_uri",
                registry.getModelVersionDownloadUri(r.requiredString("name"), r.requiredString("version"))));
    }

    private void on(String method, String path, Routes.Endpoint endpoint) {
        routes.on(method, path, endpoint);
    }

    private ObjectNode searchModels(Request r) {
        Integer max = r.int32("max_results");
        Page<RegisteredModel> page = registry.searchRegisteredModels(r.string("filter"), r.stringList("order_by"),
                max == null ? DEFAULT_MODEL_RESULTS : max, r.string("page_token"));
        ObjectNode out = JsonCodec.object();
        ArrayNode list = out.putArray("registered_models");
        page.items().forEach(m -> list.add(JsonCodec.registeredModel(m)));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private ObjectNode searchVersions(Request r) {
        Integer max = r.int32("max_results");
        Page<ModelVersion> page = registry.searchModelVersions(r.string("filter"), r.stringList("order_by"),
                max == null ? DEFAULT_VERSION_RESULTS : max, r.string("page_token"));
        ObjectNode out = versions(page.items());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private static ObjectNode model(RegisteredModel m) {
        ObjectNode n = JsonCodec.object();
        n.set("registered_model", JsonCodec.registeredModel(m));
        return n;
    }

    private static ObjectNode version(ModelVersion v) {
        ObjectNode n = JsonCodec.object();
        n.set("model_version", JsonCodec.modelVersion(v));
        return n;
    }

    private static ObjectNode versions(List<ModelVersion> versions) {
        ObjectNode n = JsonCodec.object();
        ArrayNode list = n.putArray("model_versions");
        versions.forEach(v -> list.add(JsonCodec.modelVersion(v)));
        return n;
    }

    private static String valueOrEmpty(Request r) {
        String v = r.string("value");
        return v == null ? "" : v;
    }

    private static List<Tag> tags(List<Request> fields) {
        List<Tag> tags = new ArrayList<>(fields.size());
        for (Request t : fields) {
            tags.add(new Tag(t.requiredString("key"), t.string("value") == null ? "" : t.string("value")));
        }
        return tags;
    }
}
