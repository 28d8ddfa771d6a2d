package yardstick.tracker.ui;

import java.util.List;

/** What the templates are given: plain values, ready to print. */
public final class Views {
    private Views() {}

    /** One step of the breadcrumb trail; the last has no link. */
    public record Crumb(String name, String href) {}

    /** A form that posts to {@code action} with the token for it, and fixed fields sent as they are. */
    public record PostForm(String id, String action, String token, List<Entry> hidden) {}

    /** One key/value line of a table. */
    public record Entry(String key, String value) {}

    /** A row of a compare table: the key, each run's value, and whether they differ. */
    public record CompareRow(String key, List<String> values, boolean differs) {}
}
