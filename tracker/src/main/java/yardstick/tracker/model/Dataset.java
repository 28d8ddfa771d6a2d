package yardstick.tracker.model;

/** A dataset as MLflow describes it; {@code schema} and {@code profile} may be null. */
public record Dataset(String name, String digest, String sourceType, String source, String schema, String profile) {}
