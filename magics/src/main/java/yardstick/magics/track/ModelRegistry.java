package yardstick.magics.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionTag;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import yardstick.tracker.client.ArtifactClient;

/**
 * The tracker's model registry as the notebook uses it, over MLflow's REST API: a finished job becomes a new version
 * of a registered model, and {@code models:/NAME/VERSION}, {@code models:/NAME/latest} or {@code models:/NAME@ALIAS}
 * names that version again. A version says what it is in tags: {@link #KIND} {@code local} (a weights file among its
 * run's artifacts, at {@link #ARTIFACT}) or {@code endpoint} (a model an OpenAI-compatible server serves:
 * {@link #BASE_URL}, {@link #MODEL}, {@link #KEY_ENV}).
 */
public final class ModelRegistry {
    public static final String KIND = "yardstick.model.kind", ARTIFACT = "yardstick.model.artifact",
            BASE_URL = "yardstick.model.base_url", MODEL = "yardstick.model.name", KEY_ENV = "yardstick.model.key_env";
    private static final Pattern URI = Pattern.compile("models:/([^/@]+)(?:/(\\d+|latest)|@([A-Za-z0-9_-]+))");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MlflowClient client;
    private final ArtifactClient artifacts;

    /** One registered version and what it holds. */
    public record Version(String name, String version, String source, String runId, Map<String, String> tags) {
        public String kind() {
            return tags.getOrDefault(KIND, "local");
        }
    }

    public ModelRegistry(MlflowClient client, ArtifactClient artifacts) {
        this.client = client;
        this.artifacts = artifacts;
    }

    public static boolean isModelUri(String s) {
        return s != null && s.startsWith("models:/");
    }

    /** Adds a version of {@code name} (creating the model on first use) from a run's artifact; returns its number. */
    public String register(String name, String runId, String artifactPath, Map<String, String> tags) {
        if (!registeredModelExists(name)) {
            try {
                client.sendPost("registered-models/create", JSON.createObjectNode().put("name", name).toString());
            } catch (MlflowHttpException e) {
                if (!body(e).contains("RESOURCE_ALREADY_EXISTS")) throw e; // another kernel made it a moment ago
            }
        }
        String artifactUri = client.getRun(runId).getInfo().getArtifactUri();
        ObjectNode v = JSON.createObjectNode().put("name", name).put("run_id", runId)
                .put("source", artifactPath == null ? artifactUri : artifactUri + "/" + artifactPath);
        ArrayNode list = v.putArray("tags");
        Map<String, String> all = new LinkedHashMap<>(tags);
        if (artifactPath != null) all.put(ARTIFACT, artifactPath);
        all.forEach((k, val) -> list.addObject().put("key", k).put("value", val));
        try {
            return JSON.readTree(client.sendPost("model-versions/create", v.toString())).path("model_version")
                    .path("version").asText();
        } catch (IOException e) {
            throw new IllegalStateException("the tracker's answer to model-versions/create is not JSON: " + e.getMessage(), e);
        }
    }

    /** The version a {@code models:/} URI names; a clear error names what is missing. */
    public Version resolve(String uri) {
        Matcher m = URI.matcher(uri);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + uri + "' is not a model URI: use models:/NAME/VERSION, models:/NAME/latest"
                    + " or models:/NAME@ALIAS");
        }
        String name = m.group(1);
        try {
            if ("latest".equals(m.group(2))) return version(client.getModelVersion(name, latestVersion(name)));
            if (m.group(2) != null) return version(client.getModelVersion(name, m.group(2)));
            String json = client.sendGet("registered-models/alias?name=" + enc(name) + "&alias=" + enc(m.group(3)));
            return version(JSON.readTree(json).path("model_version"));
        } catch (MlflowHttpException e) {
            if (e.getStatusCode() != 404 && !body(e).contains("RESOURCE_DOES_NOT_EXIST")) throw e;
            throw new IllegalArgumentException(uri + ": " + (registeredModelExists(name)
                    ? (m.group(2) != null ? "model " + name + " has no version " + m.group(2) : "model " + name
                            + " has no alias '" + m.group(3) + "'") + latest(name)
                    : "no registered model named '" + name + "'"));
        } catch (IOException e) {
            throw new IllegalStateException("the tracker's answer for " + uri + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** The version's weights file, downloaded once into {@code cache/NAME/VERSION/}. */
    public Path download(Version v, Path cache) throws IOException {
        String path = v.tags().get(ARTIFACT);
        if (path == null) throw new IOException("models:/" + v.name() + "/" + v.version() + " names no weights file");
        Path target = cache.resolve(v.name()).resolve(v.version()).resolve(Path.of(path).getFileName().toString());
        if (Files.isRegularFile(target)) return target;
        Files.createDirectories(target.getParent());
        return artifacts.download(artifacts.artifactUri(v.runId()), path, target);
    }

    /** The highest version number of a model, whatever its stage (MLflow's {@code models:/NAME/latest}). */
    private String latestVersion(String name) {
        long max = 0;
        for (ModelVersion v : client.getLatestVersions(name)) max = Math.max(max, Long.parseLong(v.getVersion()));
        if (max == 0) throw new IllegalArgumentException("models:/" + name + "/latest: model " + name + " has no versions");
        return Long.toString(max);
    }

    private boolean registeredModelExists(String name) {
        try {
            client.getRegisteredModel(name);
            return true;
        } catch (MlflowHttpException e) {
            return false;
        }
    }

    private String latest(String name) {
        try {
            StringBuilder b = new StringBuilder();
            for (ModelVersion v : client.getLatestVersions(name)) b.append(b.isEmpty() ? "" : ", ").append(v.getVersion());
            return b.isEmpty() ? "" : " (latest: " + b + ")";
        } catch (MlflowHttpException e) {
            return "";
        }
    }

    private static Version version(ModelVersion v) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (ModelVersionTag t : v.getTagsList()) tags.put(t.getKey(), t.getValue());
        return new Version(v.getName(), v.getVersion(), v.getSource(), v.getRunId(), tags);
    }

    private static Version version(JsonNode v) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode t : v.path("tags")) tags.put(t.path("key").asText(), t.path("value").asText());
        return new Version(v.path("name").asText(), v.path("version").asText(), v.path("source").asText(),
                v.path("run_id").asText(), tags);
    }

    private static String body(MlflowHttpException e) {
        return e.getBodyMessage() == null ? "" : e.getBodyMessage();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
