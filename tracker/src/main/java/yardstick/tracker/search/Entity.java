package yardstick.tracker.search;

/** What a filter or order-by key refers to. */
public enum Entity {
    METRIC,
    PARAM,
    TAG,
    ATTRIBUTE,
    DATASET;

    /** Maps MLflow's identifier prefixes (and their accepted aliases) to an entity. */
    static Entity fromPrefix(String prefix) {
        return switch (prefix.toLowerCase(java.util.Locale.ROOT)) {
            case "metric", "metrics" -> METRIC;
            case "param", "params", "parameter", "parameters" -> PARAM;
            case "tag", "tags" -> TAG;
            case "attribute", "attributes", "attr", "run" -> ATTRIBUTE;
            case "dataset", "datasets" -> DATASET;
            default -> null;
        };
    }
}
