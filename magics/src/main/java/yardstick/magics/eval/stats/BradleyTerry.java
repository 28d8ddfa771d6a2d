package yardstick.magics.eval.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Bradley–Terry strengths from pairwise battles by maximum likelihood: P(i beats j) = 1 / (1 + exp(s_j - s_i)). A
 * tie counts as half a win for each side. Fitted with Hunter's (2004) minorization–maximization iteration on the
 * pair totals, so the cost after counting is independent of the number of battles.
 *
 * <p>The maximum-likelihood estimate exists only when every model can be reached from every other through wins
 * (the win graph is strongly connected); otherwise a model that never lost would have infinite strength. Then, and
 * only then, every pair gets one virtual tie (a weak prior pulling strengths together) and the fit says it is
 * regularized.
 */
public final class BradleyTerry {
    /** One battle: {@code a} against {@code b}, and what {@code a} scored: 1 win, 0.5 tie, 0 loss. */
    public record Battle(int a, int b, double scoreA) {}

    /**
     * Log-strengths centred on mean 0, their Elo-scale ratings (1000 + 400 log10(e) s), whether the prior was needed,
     * and the iterations the fit took.
     */
    public record Fit(double[] strengths, double[] ratings, boolean regularized, int iterations) {}

    /** Ratings with bootstrap 95% intervals, per model. */
    public record Intervals(Fit fit, double[] low, double[] high, int rounds) {}

    private static final double TOLERANCE = 1e-10;
    private static final int MAX_ITERATIONS = 100_000;

    private BradleyTerry() {}

    public static Fit fit(int models, Battle[] battles) {
        double[][] wins = new double[models][models];
        for (Battle b : battles) add(wins, models, b.a(), b.b(), b.scoreA(), 1);
        return fit(wins);
    }

    /** The fit from pair totals: {@code wins[i][j]} is what i scored against j (a tie adds 0.5 to both sides). */
    public static Fit fit(double[][] wins) {
        int k = wins.length;
        double[][] w = wins;
        boolean regularized = !stronglyConnected(wins);
        if (regularized) {
            w = new double[k][k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) w[i][j] = wins[i][j] + (i == j ? 0 : 0.5);
            }
        }
        double[] total = new double[k];
        double[][] games = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                total[i] += w[i][j];
                games[i][j] = w[i][j] + w[j][i];
            }
        }
        double[] p = new double[k];
        Arrays.fill(p, 1.0);
        int it = 0;
        for (; it < MAX_ITERATIONS; it++) {
            double change = 0;
            double[] next = new double[k];
            for (int i = 0; i < k; i++) {
                double den = 0;
                for (int j = 0; j < k; j++) {
                    if (j != i && games[i][j] > 0) den += games[i][j] / (p[i] + p[j]);
                }
                next[i] = den == 0 ? p[i] : total[i] / den;
            }
            normalize(next);
            for (int i = 0; i < k; i++) change = Math.max(change, Math.abs(Math.log(next[i] / p[i])));
            p = next;
            if (change < TOLERANCE) break;
        }
        double[] s = new double[k], ratings = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = Math.log(p[i]);
            ratings[i] = elo(s[i]);
        }
        return new Fit(s, ratings, regularized, it + 1);
    }

    /** The Elo-scale rating of a log-strength: 400 points is a factor of 10 in the odds of winning. */
    public static double elo(double strength) {
        return 1000 + 400 * strength / Math.log(10);
    }

    /**
     * The fit and percentile bootstrap 95% intervals of each rating: battles are resampled with replacement, and
     * round {@code r} uses its own generator split off {@code seed}, so the result does not depend on thread count.
     */
    public static Intervals bootstrap(int models, Battle[] battles, int rounds, long seed) {
        Fit fit = fit(models, battles);
        int n = battles.length;
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] perRound = new SplittableRandom[rounds];
        for (int r = 0; r < rounds; r++) perRound[r] = root.split();
        double[][] ratings = new double[rounds][];
        IntStream.range(0, rounds).parallel().forEach(r -> {
            SplittableRandom rnd = perRound[r];
            double[][] wins = new double[models][models];
            for (int t = 0; t < n; t++) {
                Battle b = battles[rnd.nextInt(n)];
                add(wins, models, b.a(), b.b(), b.scoreA(), 1);
            }
            ratings[r] = n == 0 ? null : fit(wins).ratings();
        });
        double[] low = new double[models], high = new double[models];
        double[] column = new double[rounds];
        for (int m = 0; m < models; m++) {
            for (int r = 0; r < rounds; r++) column[r] = ratings[r] == null ? Double.NaN : ratings[r][m];
            low[m] = Bootstrap.percentile(column, 0.025);
            high[m] = Bootstrap.percentile(column, 0.975);
        }
        return new Intervals(fit, low, high, rounds);
    }

    private static void add(double[][] wins, int models, int a, int b, double scoreA, double weight) {
        if (a < 0 || a >= models || b < 0 || b >= models) {
            throw new IllegalArgumentException("battle between models " + a + " and " + b + ": there are only " + models);
        }
        if (a == b) throw new IllegalArgumentException("a model cannot battle itself (model " + a + ")");
        if (scoreA != 0 && scoreA != 0.5 && scoreA != 1) {
            throw new IllegalArgumentException("a battle's score is 1, 0.5 or 0, not " + scoreA);
        }
        wins[a][b] += weight * scoreA;
        wins[b][a] += weight * (1 - scoreA);
    }

    private static void normalize(double[] p) {
        double logMean = 0;
        for (double v : p) logMean += Math.log(v);
        double g = Math.exp(logMean / p.length);
        for (int i = 0; i < p.length; i++) p[i] /= g;
    }

    /** True when every model reaches every other through "scored something against" edges. */
    static boolean stronglyConnected(double[][] wins) {
        int k = wins.length;
        if (k <= 1) return true;
        return reachesAll(wins, false) && reachesAll(wins, true);
    }

    private static boolean reachesAll(double[][] wins, boolean reversed) {
        int k = wins.length;
        boolean[] seen = new boolean[k];
        int[] stack = new int[k];
        int top = 0, count = 1;
        seen[0] = true;
        stack[top++] = 0;
        while (top > 0) {
            int i = stack[--top];
            for (int j = 0; j < k; j++) {
                double edge = reversed ? wins[j][i] : wins[i][j];
                if (!seen[j] && edge > 0) {
                    seen[j] = true;
                    count++;
                    stack[top++] = j;
                }
            }
        }
        return count == k;
    }
}
