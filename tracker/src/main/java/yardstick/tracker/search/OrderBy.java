package yardstick.tracker.search;

/** One order-by term, such as {@code metrics.acc DESC}. */
public record OrderBy(Entity entity, String key, boolean ascending) {}
