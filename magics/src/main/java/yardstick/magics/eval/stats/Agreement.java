package yardstick.magics.eval.stats;

import java.util.Arrays;

/**
 * Agreement between two raters (a judge and a person, or two people) on the same items: quadratic-weighted Cohen's
 * kappa, Spearman's rank correlation with ties, and exact agreement. Arrays are paired: {@code a[i]} and {@code b[i]}
 * rate item {@code i}.
 */
public final class Agreement {
    private Agreement() {}

    /**
     * Cohen's kappa with quadratic weights (Cohen 1968) on the ordinal scale {@code min..max}: 1 is perfect agreement,
     * 0 what chance gives. Weights use the scale's values, so 1 vs 5 always costs more than 1 vs 2, whatever scores
     * occur. NaN when the raters used one and the same single category (kappa is undefined there).
     */
    public static double quadraticKappa(int[] a, int[] b, int min, int max) {
        return quadraticKappa(a, b, min, max, null);
    }

    /** As {@link #quadraticKappa(int[], int[], int, int)} over the resampled items {@code idx} (null: all). */
    public static double quadraticKappa(int[] a, int[] b, int min, int max, int[] idx) {
        check(a.length, b.length);
        int k = max - min + 1;
        if (k < 2) throw new IllegalArgumentException("the scale needs at least two values, not " + min + ".." + max);
        double[][] observed = new double[k][k];
        double[] rowSum = new double[k], colSum = new double[k];
        int n = idx == null ? a.length : idx.length;
        for (int t = 0; t < n; t++) {
            int i = idx == null ? t : idx[t];
            int x = a[i] - min, y = b[i] - min;
            if (x < 0 || x >= k || y < 0 || y >= k) {
                throw new IllegalArgumentException("rating " + (x < 0 || x >= k ? a[i] : b[i]) + " is outside " + min + ".." + max);
            }
            observed[x][y]++;
            rowSum[x]++;
            colSum[y]++;
        }
        double num = 0, den = 0;
        for (int x = 0; x < k; x++) {
            for (int y = 0; y < k; y++) {
                double w = (double) (x - y) * (x - y);
                num += w * observed[x][y];
                den += w * rowSum[x] * colSum[y] / n;
            }
        }
        return den == 0 ? Double.NaN : 1 - num / den;
    }

    /** Spearman's rho: Pearson's correlation of the average ranks (ties share their mean rank). NaN when a side is constant. */
    public static double spearman(double[] x, double[] y) {
        check(x.length, y.length);
        return pearson(averageRanks(x), averageRanks(y));
    }

    public static double spearman(int[] x, int[] y) {
        return spearman(toDouble(x, null), toDouble(y, null));
    }

    /** Spearman's rho over the resampled items {@code idx}. */
    public static double spearman(int[] x, int[] y, int[] idx) {
        return spearman(toDouble(x, idx), toDouble(y, idx));
    }

    /** The share of items both raters gave exactly the same score. */
    public static double exactAgreement(int[] a, int[] b) {
        return exactAgreement(a, b, null);
    }

    public static double exactAgreement(int[] a, int[] b, int[] idx) {
        check(a.length, b.length);
        int n = idx == null ? a.length : idx.length, same = 0;
        for (int t = 0; t < n; t++) {
            int i = idx == null ? t : idx[t];
            if (a[i] == b[i]) same++;
        }
        return n == 0 ? Double.NaN : (double) same / n;
    }

    /** Ranks 1..n, tied values sharing the mean of the ranks they span. */
    public static double[] averageRanks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> Double.compare(v[p], v[q]));
        double[] ranks = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) j++;
            double r = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) ranks[order[t]] = r;
            i = j + 1;
        }
        return ranks;
    }

    static double pearson(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) return Double.NaN;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    private static double[] toDouble(int[] v, int[] idx) {
        int n = idx == null ? v.length : idx.length;
        double[] d = new double[n];
        for (int t = 0; t < n; t++) d[t] = v[idx == null ? t : idx[t]];
        return d;
    }

    private static void check(int n, int m) {
        if (n != m) throw new IllegalArgumentException("the two raters must rate the same items: " + n + " vs " + m + " scores");
    }
}
