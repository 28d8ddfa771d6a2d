package yardstick.magics.eval.stats;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How well people agree with each other on 1-5 ratings, the ceiling a judge can be expected to reach: Krippendorff's
 * alpha (ordinal) over all raters, and quadratic-weighted kappa for each pair of raters on the items both rated, each
 * with a bootstrap 95% interval over items.
 */
public record RaterAgreement(List<String> raters, int units, Estimate alpha, List<Pair> pairs) {
    public record Pair(String a, String b, int items, Estimate kappa) {}

    /** {@code scores[u][r]}: rater r's score of item u, or {@link Krippendorff#MISSING}. */
    public static RaterAgreement of(List<String> raters, int[][] scores, Bootstrap bootstrap) {
        int pairable = 0;
        for (int[] unit : scores) {
            int m = 0;
            for (int v : unit) if (v != Krippendorff.MISSING) m++;
            if (m >= 2) pairable++;
        }
        Estimate alpha = bootstrap.interval(scores.length, idx -> Krippendorff.ordinalAlpha(scores, idx));
        List<Pair> pairs = new ArrayList<>();
        for (int a = 0; a < raters.size(); a++) {
            for (int b = a + 1; b < raters.size(); b++) {
                List<int[]> both = new ArrayList<>();
                for (int[] unit : scores) {
                    if (unit[a] != Krippendorff.MISSING && unit[b] != Krippendorff.MISSING) both.add(new int[] {unit[a], unit[b]});
                }
                int[] x = both.stream().mapToInt(p -> p[0]).toArray(), y = both.stream().mapToInt(p -> p[1]).toArray();
                pairs.add(new Pair(raters.get(a), raters.get(b), x.length,
                        bootstrap.interval(x.length, idx -> Agreement.quadraticKappa(x, y, 1, 5, idx))));
            }
        }
        return new RaterAgreement(List.copyOf(raters), pairable, alpha, pairs);
    }

    /** One row for alpha over all raters, then one per pair (weighted kappa). */
    public Table table() {
        StringColumn what = StringColumn.create("comparison");
        StringColumn stat = StringColumn.create("statistic");
        IntColumn n = IntColumn.create("items");
        DoubleColumn value = DoubleColumn.create("value"), low = DoubleColumn.create("low"), high = DoubleColumn.create("high");
        what.append(String.join(", ", raters));
        stat.append("Krippendorff's alpha (ordinal)");
        n.append(units);
        append(value, low, high, alpha);
        for (Pair p : pairs) {
            what.append(p.a() + " vs " + p.b());
            stat.append("weighted kappa (quadratic)");
            n.append(p.items());
            append(value, low, high, p.kappa());
        }
        return Table.create("rater agreement", what, stat, n, value, low, high);
    }

    private static void append(DoubleColumn value, DoubleColumn low, DoubleColumn high, Estimate e) {
        append(value, e.value());
        append(low, e.low());
        append(high, e.high());
    }

    private static void append(DoubleColumn c, double v) {
        if (Double.isNaN(v)) c.appendMissing();
        else c.append(Math.round(v * 1000) / 1000.0);
    }
}
