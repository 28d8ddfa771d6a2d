package yardstick.magics.eval.judge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.magics.eval.EvalException;
import yardstick.magics.eval.EvalSet;
import yardstick.magics.eval.Evals;
import yardstick.magics.eval.Rating;
import yardstick.magics.eval.Ratings;
import yardstick.magics.eval.Score;
import yardstick.magics.eval.stats.Agreement;
import yardstick.magics.eval.stats.Bootstrap;
import yardstick.magics.eval.stats.Estimate;
import yardstick.magics.eval.stats.RaterAgreement;

/**
 * How well a judge agrees with people on the same outputs: quadratic-weighted kappa, Spearman and exact agreement,
 * each with a bootstrap 95% interval, per human rater; with two or more raters, the people's agreement with each
 * other as the ceiling a judge can be expected to reach; and the judge-vs-human confusion matrix.
 */
public final class Calibration {
    /** One comparison: who against whom, on how many items, and the three statistics. */
    public record Row(String comparison, int items, Estimate kappa, Estimate spearman, Estimate exact) {}

    private final List<Row> rows;
    private final int[][] confusion;
    private final int judgeFailures;
    private final String reference;
    private final RaterAgreement raters;

    private Calibration(List<Row> rows, int[][] confusion, int judgeFailures, String reference, RaterAgreement raters) {
        this.rows = rows;
        this.confusion = confusion;
        this.judgeFailures = judgeFailures;
        this.reference = reference;
        this.raters = raters;
    }

    /** Grades every output people rated with the judge, and compares. */
    public static Calibration run(String set, Judge judge, Bootstrap bootstrap) {
        List<Rating> ratings = Ratings.all(set);
        if (ratings.isEmpty()) throw new EvalException("set " + set + " has no human ratings yet: rate it with %rate " + set);
        EvalSet s = Evals.set(set);
        // One item per rated (row, model, output), graded once.
        Map<String, Rating> items = new LinkedHashMap<>();
        for (Rating r : ratings) items.putIfAbsent(item(r), r);
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> keys = new ArrayList<>(), outputs = new ArrayList<>();
        for (Rating r : items.values()) {
            int i = s.indexOf(r.key());
            rows.add(i < 0 ? Map.of() : s.row(i));
            keys.add(r.key());
            outputs.add(r.output());
        }
        List<Score> graded = judge.grade(rows, keys, outputs);
        Map<String, Score> judgeByItem = new LinkedHashMap<>();
        int k = 0;
        for (String id : items.keySet()) judgeByItem.put(id, graded.get(k++));
        // With no score at all there is nothing to compare: say why instead of showing a table of blanks.
        if (graded.stream().allMatch(Score::failed)) {
            throw new EvalException("the judge scored none of the " + graded.size()
                    + " rated outputs 1-5; the first: " + graded.get(0).note());
        }
        return compare(ratings, judgeByItem, bootstrap);
    }

    /** Compares given judge scores (item id = row key, model and output) with the ratings. */
    static Calibration compare(List<Rating> ratings, Map<String, Score> judgeByItem, Bootstrap bootstrap) {
        Map<String, Map<String, Integer>> byRater = new LinkedHashMap<>();
        for (Rating r : ratings) byRater.computeIfAbsent(r.rater(), x -> new LinkedHashMap<>()).put(item(r), r.score());
        int failures = 0;
        for (Score sc : judgeByItem.values()) if (sc.failed()) failures++;
        List<Row> out = new ArrayList<>();
        int[][] confusion = new int[5][5];
        String reference = byRater.keySet().iterator().next();
        for (var e : byRater.entrySet()) {
            List<Integer> h = new ArrayList<>(), j = new ArrayList<>();
            e.getValue().forEach((id, score) -> {
                Score js = judgeByItem.get(id);
                if (js != null && !js.failed()) {
                    h.add(score);
                    j.add((int) js.value());
                }
            });
            if (e.getKey().equals(reference)) for (int i = 0; i < h.size(); i++) confusion[h.get(i) - 1][j.get(i) - 1]++;
            out.add(row("judge vs " + e.getKey(), toArray(h), toArray(j), bootstrap));
        }
        List<String> raters = new ArrayList<>(byRater.keySet());
        for (int a = 0; a < raters.size(); a++) {
            for (int b = a + 1; b < raters.size(); b++) {
                List<Integer> x = new ArrayList<>(), y = new ArrayList<>();
                Map<String, Integer> rb = byRater.get(raters.get(b));
                byRater.get(raters.get(a)).forEach((id, score) -> {
                    if (rb.containsKey(id)) {
                        x.add(score);
                        y.add(rb.get(id));
                    }
                });
                out.add(row(raters.get(a) + " vs " + raters.get(b) + " (ceiling)", toArray(x), toArray(y), bootstrap));
            }
        }
        RaterAgreement agreement = null;
        if (raters.size() >= 2) {
            try {
                agreement = Ratings.agreement(ratings, bootstrap);
            } catch (EvalException noSharedItems) {
                // the pairwise rows above already show zero shared items
            }
        }
        return new Calibration(out, confusion, failures, reference, agreement);
    }

    static Row row(String name, int[] a, int[] b, Bootstrap bootstrap) {
        int n = a.length;
        Estimate kappa = bootstrap.interval(n, idx -> Agreement.quadraticKappa(a, b, 1, 5, idx));
        Estimate rho = bootstrap.interval(n, idx -> Agreement.spearman(a, b, idx));
        Estimate exact = bootstrap.interval(n, idx -> Agreement.exactAgreement(a, b, idx));
        return new Row(name, n, kappa, rho, exact);
    }

    private static String item(Rating r) {
        return r.key() + "\n" + r.model() + "\n" + r.output();
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    public List<Row> rows() {
        return rows;
    }

    /** {@code confusion()[h-1][j-1]}: items the reference rater scored h and the judge j. */
    public int[][] confusion() {
        return confusion;
    }

    /** The people's agreement with each other (Krippendorff's alpha, pairwise kappa), the ceiling; null with one rater. */
    public RaterAgreement raterAgreement() {
        return raters;
    }

    public int judgeFailures() {
        return judgeFailures;
    }

    public Table table() {
        StringColumn c = StringColumn.create("comparison");
        IntColumn n = IntColumn.create("items");
        String[] stats = {"kappa", "spearman", "exact"};
        List<DoubleColumn> cols = new ArrayList<>();
        for (String s : stats) {
            cols.add(DoubleColumn.create(s));
            cols.add(DoubleColumn.create(s + "_low"));
            cols.add(DoubleColumn.create(s + "_high"));
        }
        for (Row r : rows) {
            c.append(r.comparison());
            n.append(r.items());
            Estimate[] es = {r.kappa(), r.spearman(), r.exact()};
            for (int i = 0; i < 3; i++) {
                append(cols.get(3 * i), es[i].value());
                append(cols.get(3 * i + 1), es[i].low());
                append(cols.get(3 * i + 2), es[i].high());
            }
        }
        Table t = Table.create("calibration", c, n);
        cols.forEach(t::addColumns);
        return t;
    }

    private static void append(DoubleColumn c, double v) {
        if (Double.isNaN(v)) c.appendMissing();
        else c.append(Math.round(v * 1000) / 1000.0);
    }

    /** The confusion matrix as a heat map: the reference rater's score across, the judge's up. */
    public HeatMapChart chart() {
        HeatMapChart chart = new HeatMapChartBuilder().width(420).height(380).title("judge vs " + reference)
                .xAxisTitle(reference + " (human)").yAxisTitle("judge").build();
        int[] scale = {1, 2, 3, 4, 5};
        List<Number[]> cells = new ArrayList<>();
        for (int h = 0; h < 5; h++) for (int j = 0; j < 5; j++) cells.add(new Number[] {h, j, confusion[h][j]});
        chart.getStyler().setShowValue(true).setPlotContentSize(1.0);
        chart.addSeries("items", java.util.Arrays.stream(scale).boxed().toList(), java.util.Arrays.stream(scale).boxed().toList(), cells);
        return chart;
    }
}
