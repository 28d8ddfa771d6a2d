package yardstick.magics.eval.stats;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * Krippendorff's alpha with the ordinal metric: agreement among any number of raters on an ordinal scale, with
 * missing ratings allowed. {@code data[u][r]} is rater r's value for unit u, or {@link #MISSING}; units fewer than two
 * raters rated are not pairable and count for nothing. Computed from the coincidence matrix (Krippendorff 2011,
 * "Computing Krippendorff's Alpha-Reliability"): alpha = 1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck, where the
 * ordinal distance d_ck = (n_c/2 + n_(c+1) + ... + n_(k-1) + n_k/2)^2 between the values actually used.
 */
public final class Krippendorff {
    public static final int MISSING = Integer.MIN_VALUE;

    private Krippendorff() {}

    /** Ordinal alpha over every unit; NaN when no unit is pairable or every pairable value is the same. */
    public static double ordinalAlpha(int[][] data) {
        return ordinalAlpha(data, null);
    }

    /** Ordinal alpha over the resampled units {@code idx} (null: all), for {@link Bootstrap}. */
    public static double ordinalAlpha(int[][] data, int[] idx) {
        TreeMap<Integer, Integer> index = new TreeMap<>();
        int n = idx == null ? data.length : idx.length;
        for (int t = 0; t < n; t++) {
            int[] unit = data[idx == null ? t : idx[t]];
            if (pairable(unit) >= 2) for (int v : unit) if (v != MISSING) index.putIfAbsent(v, 0);
        }
        int k = index.size();
        if (k == 0) return Double.NaN;
        int c = 0;
        for (var e : index.entrySet()) e.setValue(c++);
        double[][] o = new double[k][k];
        int[] counts = new int[k];
        for (int t = 0; t < n; t++) {
            int[] unit = data[idx == null ? t : idx[t]];
            int m = pairable(unit);
            if (m < 2) continue;
            Arrays.fill(counts, 0);
            for (int v : unit) if (v != MISSING) counts[index.get(v)]++;
            // Ordered pairs of different raters in this unit, each weighing 1/(m-1).
            for (int a = 0; a < k; a++) {
                if (counts[a] == 0) continue;
                for (int b = 0; b < k; b++) {
                    double pairs = a == b ? counts[a] * (counts[a] - 1.0) : (double) counts[a] * counts[b];
                    o[a][b] += pairs / (m - 1);
                }
            }
        }
        double[] nc = new double[k];
        double total = 0;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) nc[a] += o[a][b];
            total += nc[a];
        }
        double observed = 0, expected = 0;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                double between = (nc[a] + nc[b]) / 2;
                for (int g = a + 1; g < b; g++) between += nc[g];
                double d = between * between;
                observed += 2 * o[a][b] * d;
                expected += 2 * nc[a] * nc[b] * d;
            }
        }
        return expected == 0 ? Double.NaN : 1 - (total - 1) * observed / expected;
    }

    private static int pairable(int[] unit) {
        int m = 0;
        for (int v : unit) if (v != MISSING) m++;
        return m;
    }
}
