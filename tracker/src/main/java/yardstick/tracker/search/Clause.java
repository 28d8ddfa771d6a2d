package yardstick.tracker.search;

import java.util.List;

/**
 * One comparison of a filter: {@code entity.key comparator value}. The value is a {@link String}, a
 * {@link Double}, a {@code List<String>} (for IN), or null (for IS NULL and IS NOT NULL).
 */
public record Clause(Entity entity, String key, String comparator, Object value) {
    public String stringValue() {
        return (String) value;
    }

    public double numberValue() {
        return (Double) value;
    }

    @SuppressWarnings("unchecked")
    public List<String> listValue() {
        return (List<String>) value;
    }
}
