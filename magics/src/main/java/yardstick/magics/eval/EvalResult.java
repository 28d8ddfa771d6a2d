package yardstick.magics.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The outcome of running an eval set on one or more systems: per system, each row's output (or error) and each
 * scorer's {@link Score}, and the run it was logged to. {@link #rows()} is the per-row table, {@link #summary()}
 * the per-system means.
 */
public final class EvalResult {
    /** One system's answers and scores, in the set's row order. */
    public record Outputs(String system, String[] outputs, String[] errors, Map<String, List<Score>> scores, String runId) {}

    private final EvalSet set;
    private final String digest;
    private final String template;
    private final List<String> scorerNames;
    private final Map<String, Outputs> bySystem = new LinkedHashMap<>();

    public EvalResult(EvalSet set, String template, List<String> scorerNames) {
        this.set = set;
        this.digest = set.digest();
        this.template = template;
        this.scorerNames = List.copyOf(scorerNames);
    }

    void put(Outputs o) {
        bySystem.put(o.system(), o);
    }

    public EvalSet set() {
        return set;
    }

    /** The digest of the set when it was run. */
    public String digest() {
        return digest;
    }

    public String template() {
        return template;
    }

    public List<String> systems() {
        return List.copyOf(bySystem.keySet());
    }

    public Outputs outputs(String system) {
        Outputs o = bySystem.get(system);
        if (o == null) throw new EvalException("this eval has no outputs of '" + system + "'; it ran " + bySystem.keySet());
        return o;
    }

    public List<String> scorers() {
        return scorerNames;
    }

    /** One row per (system, eval row): key, system, the output, every score and note, and the error if it failed. */
    public Table rows() {
        StringColumn key = StringColumn.create("key"), sys = StringColumn.create("model"), out = StringColumn.create("output"),
                err = StringColumn.create("error");
        Map<String, DoubleColumn> values = new LinkedHashMap<>();
        Map<String, StringColumn> notes = new LinkedHashMap<>();
        for (String s : scorerNames) {
            values.put(s, DoubleColumn.create(s));
            notes.put(s, StringColumn.create(s + "_note"));
        }
        for (Outputs o : bySystem.values()) {
            for (int i = 0; i < set.size(); i++) {
                key.append(set.key(i));
                sys.append(o.system());
                out.append(o.outputs()[i] == null ? "" : o.outputs()[i]);
                err.append(o.errors()[i] == null ? "" : o.errors()[i]);
                for (String s : scorerNames) {
                    Score sc = o.scores().get(s).get(i);
                    if (sc.failed()) values.get(s).appendMissing();
                    else values.get(s).append(sc.value());
                    notes.get(s).append(sc.note());
                }
            }
        }
        Table t = Table.create(set.name() + " results", key, sys, out);
        for (String s : scorerNames) {
            t.addColumns(values.get(s));
            if (notes.get(s).countMissing() + count(notes.get(s)) < notes.get(s).size()) t.addColumns(notes.get(s));
        }
        return t.addColumns(err);
    }

    private static int count(StringColumn c) {
        int n = 0;
        for (String v : c) if (v == null || v.isEmpty()) n++;
        return n;
    }

    /** Per system: rows, rows whose call failed, and per scorer the mean over scored rows and the scoring failures. */
    public Table summary() {
        StringColumn sys = StringColumn.create("model");
        IntColumn rows = IntColumn.create("rows"), failed = IntColumn.create("failed_calls");
        Map<String, DoubleColumn> means = new LinkedHashMap<>();
        Map<String, IntColumn> failures = new LinkedHashMap<>();
        for (String s : scorerNames) {
            means.put(s, DoubleColumn.create(s + "_mean"));
            failures.put(s, IntColumn.create(s + "_failures"));
        }
        for (Outputs o : bySystem.values()) {
            sys.append(o.system());
            rows.append(set.size());
            int f = 0;
            for (String e : o.errors()) if (e != null) f++;
            failed.append(f);
            for (String s : scorerNames) {
                double[] m = mean(o.scores().get(s));
                if (Double.isNaN(m[0])) means.get(s).appendMissing();
                else means.get(s).append(m[0]);
                failures.get(s).append((int) m[1]);
            }
        }
        Table t = Table.create(set.name() + " summary", sys, rows, failed);
        for (String s : scorerNames) t.addColumns(means.get(s), failures.get(s));
        return t;
    }

    /** Mean of the scores that did not fail, and how many failed (excluding rows whose call failed). */
    static double[] mean(List<Score> scores) {
        double sum = 0;
        int n = 0, failed = 0;
        for (Score s : scores) {
            if (s.failed()) {
                if (!s.note().equals("no output")) failed++;
            } else {
                sum += s.value();
                n++;
            }
        }
        return new double[] {n == 0 ? Double.NaN : sum / n, failed};
    }

    /** The summary metrics a system's run records: {@code SCORER_mean}, {@code SCORER_failures}, {@code failed_calls}. */
    Map<String, Double> metrics(String system) {
        Outputs o = outputs(system);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rows", (double) set.size());
        int f = 0;
        for (String e : o.errors()) if (e != null) f++;
        m.put("failed_calls", (double) f);
        for (String s : scorerNames) {
            double[] v = mean(o.scores().get(s));
            if (!Double.isNaN(v[0])) m.put(s + "_mean", v[0]);
            m.put(s + "_failures", v[1]);
        }
        return m;
    }

    /** The rows of one system as a table (the artifact of its run). */
    Table rows(String system) {
        Table all = rows();
        return all.where(all.stringColumn("model").isEqualTo(system));
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (String s : bySystem.keySet()) parts.add(s);
        return String.format(Locale.ROOT, "eval of %s (%d rows, digest %s) on %s", set.name(), set.size(), digest, parts);
    }
}
