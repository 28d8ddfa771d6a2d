package yardstick.tracker.model;

/** One logged point of a metric; {@code value} may be NaN or infinite. */
public record Metric(String key, double value, long timestamp, long step) {}
