package yardstick.tracker.model;

/**
 * One metric's finite points as parallel arrays, ordered by step then timestamp, for charts: a 100,000-point history
 * is three arrays rather than 100,000 objects. {@code total} also counts the NaN and infinite points left out.
 */
public record MetricSeries(long[] steps, long[] timestamps, double[] values, int total) {
    public int size() {
        return values.length;
    }
}
