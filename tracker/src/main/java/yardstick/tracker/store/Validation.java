package yardstick.tracker.store;

import java.util.List;
import java.util.regex.Pattern;
import yardstick.tracker.model.DatasetInput;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Tag;

/** MLflow's limits on names, values and batch sizes; every check runs before anything is written. */
public final class Validation {
    public static final int MAX_METRICS_PER_BATCH = 1000;
    public static final int MAX_PARAMS_TAGS_PER_BATCH = 100;
    public static final int MAX_ENTITIES_PER_BATCH = 1000;
    public static final int MAX_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    public static final int MAX_TAG_VALUE_LENGTH = 5000;
    public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
    public static final int MAX_DATASETS_PER_REQUEST = 1000;

    public static final int MAX_ALIAS_LENGTH = 255;

    private static final Pattern VALID_ALIAS = Pattern.compile("^[\\w\\-]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern VERSION_ALIAS = Pattern.compile("^[vV]\\d+$");
    private static final Pattern VALID_NAME = Pattern.compile("^[/\\w.\\- :]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String BAD_CHARACTERS = "Names may only contain alphanumerics, underscores (_), dashes (-),"
            + " periods (.), spaces ( ), colon(:) and slashes (/).";

    private Validation() {}

    public static void batch(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        if (metrics.size() > MAX_METRICS_PER_BATCH) {
            throw MlflowException.invalidParameter("A batch logging request can contain at most " + MAX_METRICS_PER_BATCH
                    + " metrics. Got " + metrics.size() + " metrics. Please split up metrics across multiple requests and try again.");
        }
        if (params.size() > MAX_PARAMS_TAGS_PER_BATCH) {
            throw MlflowException.invalidParameter("A batch logging request can contain at most " + MAX_PARAMS_TAGS_PER_BATCH
                    + " params. Got " + params.size() + " params. Please split up params across multiple requests and try again.");
        }
        if (tags.size() > MAX_PARAMS_TAGS_PER_BATCH) {
            throw MlflowException.invalidParameter("A batch logging request can contain at most " + MAX_PARAMS_TAGS_PER_BATCH
                    + " tags. Got " + tags.size() + " tags. Please split up tags across multiple requests and try again.");
        }
        int total = metrics.size() + params.size() + tags.size();
        if (total > MAX_ENTITIES_PER_BATCH) {
            throw MlflowException.invalidParameter("A batch logging request can contain at most " + MAX_ENTITIES_PER_BATCH
                    + " total metrics, params, and tags. Got " + total + ". Please split up across multiple requests and try again.");
        }
        // A batch usually repeats a few keys many times: check each distinct key once.
        String previous = null;
        for (Metric m : metrics) {
            if (!m.key().equals(previous)) {
                name("metrics", m.key());
                previous = m.key();
            }
        }
        for (Param p : params) {
            param(p);
        }
        for (Tag t : tags) {
            tag(t);
        }
    }

    public static void param(Param p) {
        name("params", p.key());
        if (p.value() == null) {
            throw MlflowException.invalidParameter("Missing value for required parameter 'value' of param '" + p.key() + "'");
        }
        if (p.value().length() > MAX_PARAM_VALUE_LENGTH) {
            throw MlflowException.invalidParameter("Param value '" + abbreviate(p.value()) + "' had length " + p.value().length()
                    + ", which exceeded length limit of " + MAX_PARAM_VALUE_LENGTH);
        }
    }

    public static void tag(Tag t) {
        name("tags", t.key());
        if (t.value() != null && t.value().length() > MAX_TAG_VALUE_LENGTH) {
            throw MlflowException.invalidParameter("Tag value '" + abbreviate(t.value()) + "' had length " + t.value().length()
                    + ", which exceeded length limit of " + MAX_TAG_VALUE_LENGTH);
        }
    }

    public static void tags(List<Tag> tags) {
        for (Tag t : tags) {
            tag(t);
        }
    }

    /** A key must be a safe relative path too, because MLflow's file store turns keys into file names. */
    public static void name(String kind, String key) {
        if (key == null || key.isEmpty()) {
            throw MlflowException.invalidParameter("Missing value for required parameter 'key' in " + kind);
        }
        if (!VALID_NAME.matcher(key).matches()) {
            throw MlflowException.invalidParameter("Invalid value '" + abbreviate(key) + "' for parameter '" + kind
                    + "' supplied. " + BAD_CHARACTERS);
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw MlflowException.invalidParameter("'" + abbreviate(key) + "' exceeds the maximum length of "
                    + MAX_KEY_LENGTH + " characters for a " + kind + " key");
        }
        if (!isNormalRelativePath(key)) {
            throw MlflowException.invalidParameter("Invalid value '" + key + "' for parameter '" + kind + "' supplied."
                    + " Names may be treated as files in certain cases, and must not resolve to other names when treated as such.");
        }
    }

    private static boolean isNormalRelativePath(String key) {
        if (key.startsWith("/") || key.endsWith("/") || key.contains("//")) {
            return false;
        }
        for (String part : key.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    public static void experimentName(String name) {
        if (name == null || name.isEmpty()) {
            throw MlflowException.invalidParameter("Invalid experiment name: '" + (name == null ? "" : name) + "'");
        }
        if (name.length() > MAX_EXPERIMENT_NAME_LENGTH) {
            throw MlflowException.invalidParameter("Experiment name exceeds the maximum length of " + MAX_EXPERIMENT_NAME_LENGTH);
        }
    }

    /** A registered model's name: any non-empty text, as in MLflow. */
    public static void modelName(String name) {
        if (name == null || name.isEmpty()) {
            throw MlflowException.invalidParameter("Registered model name cannot be empty.");
        }
    }

    /** A model version number, which MLflow's API carries as a string; returns it as a number. */
    public static int modelVersion(String version) {
        try {
            return Integer.parseInt(version == null ? "" : version.trim());
        } catch (NumberFormatException e) {
            throw MlflowException.invalidParameter("Model version must be an integer, got '" + version + "'");
        }
    }

    /** An alias: letters, digits, _ and -, at most 255 characters, neither "latest" nor a version name like v3. */
    public static void modelAlias(String alias) {
        if (alias == null || alias.isEmpty()) {
            throw MlflowException.invalidParameter("Registered model alias name cannot be empty.");
        }
        if (!VALID_ALIAS.matcher(alias).matches()) {
            throw MlflowException.invalidParameter("Invalid alias name: '" + abbreviate(alias)
                    + "'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
        }
        if (alias.length() > MAX_ALIAS_LENGTH) {
            throw MlflowException.invalidParameter("Registered model alias name '" + abbreviate(alias) + "' had length "
                    + alias.length() + ", which exceeded length limit of " + MAX_ALIAS_LENGTH);
        }
        if (alias.equalsIgnoreCase("latest")) {
            throw MlflowException.invalidParameter("'latest' alias name (case insensitive) is reserved.");
        }
        if (VERSION_ALIAS.matcher(alias).matches()) {
            throw MlflowException.invalidParameter("Version alias name '" + alias + "' is reserved.");
        }
    }

    public static void datasetInputs(List<DatasetInput> inputs) {
        if (inputs.size() > MAX_DATASETS_PER_REQUEST) {
            throw MlflowException.invalidParameter("A request can log at most " + MAX_DATASETS_PER_REQUEST + " datasets");
        }
        for (DatasetInput input : inputs) {
            if (input.dataset() == null) {
                throw MlflowException.invalidParameter("Missing value for required parameter 'dataset'");
            }
            required("dataset.name", input.dataset().name());
            required("dataset.digest", input.dataset().digest());
            required("dataset.source_type", input.dataset().sourceType());
            required("dataset.source", input.dataset().source());
            for (Tag t : input.tags()) {
                required("tags.key", t.key());
                required("tags.value", t.value());
            }
        }
    }

    private static void required(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw MlflowException.invalidParameter("Missing value for required parameter '" + field + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
