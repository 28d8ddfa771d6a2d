package yardstick.magics.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The models a notebook can name: those in {@code models.yaml}, the endpoint {@code OPENAI_BASE_URL} and
 * {@code OPENAI_API_KEY} describe, and {@code local}. A {@code models.yaml} looks like
 *
 * <pre>
 * default: mini
 * models:
 *   mini:
 *     base_url: https://api.openai.com/v1
 *     model: gpt-4o-mini
 *     key_env: OPENAI_API_KEY
 *     price_per_1k_input: 0.00015
 *     price_per_1k_output: 0.0006
 *   llama:
 *     base_url: http://localhost:11434/v1
 *     model: llama3.2
 * </pre>
 */
public final class ModelCatalog {
    public static final String OPENAI_DEFAULT_URL = "https://api.openai.com/v1";
    /** What a finished hosted fine-tune leaves in its job folder: the model's name and where it is served. */
    public static final String TUNED_MODEL = "model.json";
    private static final Set<String> KEYS = Set.of("provider", "base_url", "model", "key_env", "price_per_1k",
            "price_per_1k_input", "price_per_1k_output", "timeout_s");

    private final Map<String, Endpoint> endpoints;
    private final String defaultName;
    private final Endpoint fromEnvironment;
    private final Path file;

    private ModelCatalog(Map<String, Endpoint> endpoints, String defaultName, Endpoint fromEnvironment, Path file) {
        this.endpoints = endpoints;
        this.defaultName = defaultName;
        this.fromEnvironment = fromEnvironment;
        this.file = file;
    }

    /** Reads {@code home/models.yaml} (absent: no entries) and the environment through {@code env}. */
    public static ModelCatalog load(Path home, Function<String, String> env) {
        Path file = home.resolve("models.yaml");
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        String defaultName = null;
        if (Files.isRegularFile(file)) {
            JsonNode root;
            try {
                root = new YAMLMapper().readTree(file.toFile());
            } catch (IOException e) {
                throw LlmException.fatal(file + " is not valid YAML: " + firstLine(e.getMessage()));
            }
            if (root != null && !root.isMissingNode() && !root.isNull()) {
                if (!root.isObject()) throw LlmException.fatal(file + ": expected 'models:' with named entries");
                if (root.hasNonNull("default")) defaultName = root.get("default").asText();
                JsonNode models = root.path("models");
                if (!models.isMissingNode() && !models.isObject()) {
                    throw LlmException.fatal(file + ": 'models' must map names to entries");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    endpoints.put(e.getKey(), entry(file, e.getKey(), e.getValue()));
                }
                if (defaultName != null && !endpoints.containsKey(defaultName) && !defaultName.equals("local")) {
                    throw LlmException.fatal(file + ": default '" + defaultName + "' is not one of " + endpoints.keySet());
                }
            }
        }
        String base = blankToNull(env.apply("OPENAI_BASE_URL"));
        String key = blankToNull(env.apply("OPENAI_API_KEY"));
        Endpoint fromEnv = null;
        if (base != null || key != null) {
            fromEnv = new Endpoint("openai", "openai", base != null ? base : OPENAI_DEFAULT_URL,
                    blankToNull(env.apply("OPENAI_MODEL")), "OPENAI_API_KEY", 0, 0, Endpoint.DEFAULT_TIMEOUT, "environment");
        }
        return new ModelCatalog(endpoints, defaultName, fromEnv, file);
    }

    private static Endpoint entry(Path file, String name, JsonNode n) {
        String where = file + ": model '" + name + "'";
        if (!n.isObject()) throw LlmException.fatal(where + " must be a mapping (base_url, model, ...)");
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) throw LlmException.fatal(where + " has an unknown key '" + k + "'; known: " + KEYS);
        }
        String provider = n.path("provider").asText("openai");
        if (!provider.equals("openai") && !provider.equals("local")) {
            throw LlmException.fatal(where + ": provider must be 'openai' or 'local', not '" + provider + "'");
        }
        String baseUrl = n.path("base_url").asText(null);
        if (provider.equals("openai") && baseUrl == null) throw LlmException.fatal(where + " needs a base_url");
        double both = number(where, n, "price_per_1k", 0);
        Duration timeout = Duration.ofMillis((long) (number(where, n, "timeout_s", 60) * 1000));
        return new Endpoint(name, provider, baseUrl, n.path("model").asText(name), n.path("key_env").asText(null),
                number(where, n, "price_per_1k_input", both), number(where, n, "price_per_1k_output", both), timeout,
                "models.yaml");
    }

    private static double number(String where, JsonNode n, String key, double fallback) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return fallback;
        if (!v.isNumber()) throw LlmException.fatal(where + ": " + key + " must be a number, not '" + v.asText() + "'");
        return v.asDouble();
    }

    /**
     * The endpoint for a name: an entry of models.yaml, {@code local}, or, when OPENAI_BASE_URL or OPENAI_API_KEY is
     * set, that endpoint serving a model of this name; {@code models:/NAME/VERSION} is a registered model. Null
     * {@code name} means the default model.
     */
    public Endpoint resolve(String name) {
        if (name == null) return defaultEndpoint();
        Endpoint e = endpoints.get(name);
        if (e != null) return e;
        if (name.equals("local")) return local();
        if (name.startsWith("local:")) return local().withModel(name);
        if (yardstick.magics.track.ModelRegistry.isModelUri(name)) return RegisteredModels.resolve(name);
        Endpoint tuned = fineTuned(name);
        if (tuned != null) return tuned;
        if (fromEnvironment != null) return fromEnvironment.withModel(name);
        throw LlmException.fatal("no model named '" + name + "': " + (endpoints.isEmpty() ? "" : file + " names "
                + endpoints.keySet() + "; ") + "set OPENAI_BASE_URL to prompt any model an endpoint serves");
    }

    /**
     * A model a hosted fine-tune made (or one of its checkpoints), on the endpoint that trained it: the job wrote
     * {@code jobs/ID/}{@value #TUNED_MODEL} with {@code fine_tuned_model}, {@code base_url}, {@code key_env} and
     * {@code checkpoints}. Null when no finished job made it.
     */
    private Endpoint fineTuned(String name) {
        Path jobs = file.resolveSibling("jobs");
        if (!Files.isDirectory(jobs)) return null;
        try (var dirs = Files.newDirectoryStream(jobs)) {
            for (Path d : dirs) {
                Path f = d.resolve(TUNED_MODEL);
                JsonNode n;
                try {
                    n = Files.isRegularFile(f) ? new ObjectMapper().readTree(f.toFile()) : null;
                } catch (IOException beingWritten) {
                    continue;
                }
                if (n == null || !n.path("base_url").isTextual()) continue;
                boolean match = name.equals(n.path("fine_tuned_model").asText(null));
                for (JsonNode c : n.path("checkpoints")) match |= name.equals(c.path("fine_tuned_model_checkpoint").asText(null));
                if (match) {
                    return new Endpoint(name, "openai", n.get("base_url").asText(), name, n.path("key_env").asText(null),
                            0, 0, Endpoint.DEFAULT_TIMEOUT, "fine-tune job " + d.getFileName());
                }
            }
        } catch (IOException unreadable) {
            // No jobs folder to list: the name is resolved as if no job had made it.
        }
        return null;
    }

    /** The default: models.yaml's {@code default}, the environment's endpoint, the first entry, else {@code local}. */
    public Endpoint defaultEndpoint() {
        if (defaultName != null) return resolve(defaultName);
        if (fromEnvironment != null) {
            if (fromEnvironment.model() == null) {
                throw LlmException.fatal("OPENAI_BASE_URL is set but no model is named: set OPENAI_MODEL or use --model NAME");
            }
            return fromEnvironment;
        }
        if (!endpoints.isEmpty()) return endpoints.values().iterator().next();
        return local();
    }

    private static Endpoint local() {
        return new Endpoint("local", "local", null, "local", null, 0, 0, Endpoint.DEFAULT_TIMEOUT, "built in");
    }

    /** Every model a notebook can name, the default first. */
    public List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>(endpoints.values());
        if (fromEnvironment != null) all.add(fromEnvironment);
        if (!endpoints.containsKey("local")) all.add(local());
        return all;
    }

    /** The catalog as a table for {@code %models}; keys are shown only as set or unset. */
    public Table table(Function<String, String> env) {
        StringColumn name = StringColumn.create("name"), provider = StringColumn.create("provider"),
                url = StringColumn.create("base_url"), model = StringColumn.create("model"),
                key = StringColumn.create("key"), source = StringColumn.create("source");
        DoubleColumn in = DoubleColumn.create("price_per_1k_input"), out = DoubleColumn.create("price_per_1k_output");
        String dflt = safeDefaultName();
        for (Endpoint e : endpoints()) {
            name.append(e.name() + (e.name().equals(dflt) ? " (default)" : ""));
            provider.append(e.provider());
            url.append(e.baseUrl() == null ? "" : e.baseUrl());
            model.append(e.model() == null ? "(set OPENAI_MODEL or --model)" : e.model());
            String keyEnv = e.provider().equals("local") ? null : e.keyEnv() == null ? "OPENAI_API_KEY" : e.keyEnv();
            key.append(keyEnv == null ? "" : keyEnv + (blankToNull(env.apply(keyEnv)) == null ? " (unset)" : " (set)"));
            in.append(e.pricePer1kInput());
            out.append(e.pricePer1kOutput());
            source.append(e.source());
        }
        return Table.create("models", name, provider, url, model, key, in, out, source);
    }

    private String safeDefaultName() {
        try {
            return defaultEndpoint().name();
        } catch (LlmException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
