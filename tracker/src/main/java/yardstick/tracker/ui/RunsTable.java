package yardstick.tracker.ui;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import yardstick.tracker.model.Experiment;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.Tag;

/**
 * The experiment page's runs table: runs nested under their parent run ({@link #PARENT_TAG}), and only the columns
 * that have a value in the shown runs, grouped as params, metrics and tags, pinned ones first.
 */
public final class RunsTable {
    /** MLflow's tag naming a nested run's parent. */
    static final String PARENT_TAG = "mlflow.parentRunId";
    /** Cells show this many characters at most; the full value is in the cell's title. */
    private static final int CELL_CHARS = 40;

    /** A column: {@code group} is params, metrics or tags. */
    public record Column(String group, String key) {
        public String id() {
            return group + "." + key;
        }

        /** The column's key for order_by, quoted so keys with spaces or dots still parse. */
        public String sortKey() {
            return group + ".`" + key + "`";
        }

        static Column parse(String id) {
            int dot = id.indexOf('.');
            return dot < 0 ? null : new Column(id.substring(0, dot), id.substring(dot + 1));
        }
    }

    public record Group(String name, List<Column> columns) {}

    /** A row: a run, how deep it is nested, how many runs it holds (shown below it, collapsed). */
    public record Row(Run run, int depth, int children, String parentId, Map<String, String> values) {
        public boolean child() {
            return depth > 0;
        }

        public String full(Column c) {
            return values.get(c.id());
        }

        public String shown(Column c) {
            String v = values.get(c.id());
            return v == null || v.length() <= CELL_CHARS ? v : v.substring(0, CELL_CHARS - 1) + "…";
        }
    }

    private final Experiment experiment;
    private final String filter;
    private final String orderBy;
    private final List<String> chosen;
    private final List<String> pinned;
    private final String error;
    private final List<Row> rows;
    private final List<Group> available;
    private final List<Group> groups;
    private final String nextPageUrl;

    RunsTable(Experiment experiment, String filter, String orderBy, List<String> chosen, List<String> pinned, String error,
            List<Run> runs, List<Run> extraParents, String nextPageToken) {
        this.experiment = experiment;
        this.filter = filter == null ? "" : filter;
        this.orderBy = orderBy == null ? "" : orderBy;
        this.chosen = chosen;
        this.pinned = pinned;
        this.error = error;
        List<Run> all = new ArrayList<>(extraParents);
        all.addAll(runs);
        this.rows = tree(all);
        this.available = columns(all);
        this.groups = shownGroups();
        this.nextPageUrl = nextPageToken == null ? null : url(this.orderBy, chosen, pinned) + "&page_token=" + Format.url(nextPageToken);
    }

    public Experiment experiment() { return experiment; }
    public String filter() { return filter; }
    public String orderBy() { return orderBy; }
    public List<String> chosen() { return chosen; }
    public List<String> pinned() { return pinned; }
    public String error() { return error; }
    public List<Row> rows() { return rows; }
    public List<Group> available() { return available; }
    public List<Group> groups() { return groups; }
    public String nextPageUrl() { return nextPageUrl; }
    public int maxCompare() { return Pages.MAX_COMPARE; }

    /** The metrics the shown runs have, for the experiment page's chart. */
    public List<String> metricKeys() {
        return available.stream().filter(g -> g.name().equals("metrics")).flatMap(g -> g.columns().stream()).map(Column::key).toList();
    }

    /** Whether the column is shown: all are by default, else those chosen in the picker, and pinned ones always. */
    public boolean shows(String id) {
        return chosen.isEmpty() || chosen.contains(id) || pinned.contains(id);
    }

    /** The link a header sorts by: descending first, ascending when already descending. */
    public String sortUrl(String key) {
        return url(orderBy.equals(key + " DESC") ? key + " ASC" : key + " DESC", chosen, pinned);
    }

    public String arrow(String key) {
        return orderBy.startsWith(key + " ") ? (orderBy.endsWith(" DESC") ? " ▼" : " ▲") : "";
    }

    /** The link that pins the column, or unpins it when pinned. */
    public String pinUrl(String id) {
        List<String> next = new ArrayList<>(pinned);
        if (!next.remove(id)) {
            next.add(id);
        }
        return url(orderBy, chosen, next);
    }

    private String url(String order, List<String> cols, List<String> pins) {
        StringBuilder u = new StringBuilder("/experiments/").append(Format.url(experiment.experimentId())).append("?filter=")
                .append(Format.url(filter)).append("&order_by=").append(Format.url(order));
        cols.forEach(c -> u.append("&col=").append(Format.url(c)));
        pins.forEach(c -> u.append("&pin=").append(Format.url(c)));
        return u.toString();
    }

    /** Parents before their children, each parent's children in the order the search gave them. */
    private static List<Row> tree(List<Run> runs) {
        Map<String, Run> byId = new LinkedHashMap<>();
        runs.forEach(r -> byId.putIfAbsent(r.info().runId(), r));
        Map<String, List<Run>> children = new HashMap<>();
        List<Run> roots = new ArrayList<>();
        for (Run r : byId.values()) {
            String parent = parentOf(r);
            if (parent != null && byId.containsKey(parent) && !parent.equals(r.info().runId())) {
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(r);
            } else {
                roots.add(r);
            }
        }
        List<Row> out = new ArrayList<>(byId.size());
        Set<String> seen = new java.util.HashSet<>();
        for (Run root : roots) {
            add(out, root, 0, null, children, seen);
        }
        return out;
    }

    private static void add(List<Row> out, Run r, int depth, String parentId, Map<String, List<Run>> children, Set<String> seen) {
        if (!seen.add(r.info().runId())) {
            return;
        }
        List<Run> kids = children.getOrDefault(r.info().runId(), List.of());
        out.add(new Row(r, depth, kids.size(), parentId, values(r)));
        for (Run k : kids) {
            add(out, k, depth + 1, r.info().runId(), children, seen);
        }
    }

    static String parentOf(Run r) {
        for (Tag t : r.tags()) {
            if (t.key().equals(PARENT_TAG)) {
                return t.value();
            }
        }
        return null;
    }

    /** Tags the tracker or MLflow set for their own use, which are not a column anyone asked for. */
    static boolean systemTag(String key) {
        return key.startsWith("mlflow.") || key.startsWith("yardstick.");
    }

    private static Map<String, String> values(Run r) {
        Map<String, String> v = new HashMap<>();
        for (Param p : r.params()) {
            v.put("params." + p.key(), p.value());
        }
        for (Metric m : r.latestMetrics()) {
            v.put("metrics." + m.key(), Format.shortNumber(m.value()));
        }
        for (Tag t : r.tags()) {
            if (!systemTag(t.key())) {
                v.put("tags." + t.key(), t.value());
            }
        }
        return v;
    }

    private static List<Group> columns(List<Run> runs) {
        Set<String> params = new TreeSet<>();
        Set<String> metrics = new TreeSet<>();
        Set<String> tags = new TreeSet<>();
        for (Run r : runs) {
            r.params().forEach(p -> params.add(p.key()));
            r.latestMetrics().forEach(m -> metrics.add(m.key()));
            r.tags().stream().filter(t -> !systemTag(t.key())).forEach(t -> tags.add(t.key()));
        }
        List<Group> out = new ArrayList<>();
        addGroup(out, "params", params);
        addGroup(out, "metrics", metrics);
        addGroup(out, "tags", tags);
        return out;
    }

    private static void addGroup(List<Group> out, String name, Set<String> keys) {
        if (!keys.isEmpty()) {
            out.add(new Group(name, keys.stream().map(k -> new Column(name, k)).toList()));
        }
    }

    /** The pinned columns as a group of their own first, then each group's shown columns. */
    private List<Group> shownGroups() {
        List<Group> out = new ArrayList<>();
        List<Column> pins = new ArrayList<>();
        for (String id : pinned) {
            Column c = Column.parse(id);
            if (c != null) {
                pins.add(c);
            }
        }
        if (!pins.isEmpty()) {
            out.add(new Group("pinned", pins));
        }
        for (Group g : available) {
            List<Column> cols = g.columns().stream().filter(c -> shows(c.id()) && !pinned.contains(c.id())).toList();
            if (!cols.isEmpty()) {
                out.add(new Group(g.name(), cols));
            }
        }
        return out;
    }
}
