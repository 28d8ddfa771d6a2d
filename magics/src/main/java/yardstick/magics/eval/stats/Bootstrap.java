package yardstick.magics.eval.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Percentile bootstrap intervals: resample the items with replacement {@code rounds} times, compute the statistic on
 * each resample, take the 2.5th and 97.5th percentiles. Seeded and reproducible: round {@code r} draws from its own
 * generator split off the seed, so rounds can run in parallel and still give the same interval every time.
 */
public final class Bootstrap {
    public static final int DEFAULT_ROUNDS = 1000;
    public static final long DEFAULT_SEED = 42;

    private final int rounds;
    private final long seed;

    public Bootstrap(int rounds, long seed) {
        if (rounds < 10) throw new IllegalArgumentException("the bootstrap needs at least 10 rounds, not " + rounds);
        this.rounds = rounds;
        this.seed = seed;
    }

    public static Bootstrap standard() {
        return new Bootstrap(DEFAULT_ROUNDS, DEFAULT_SEED);
    }

    public int rounds() {
        return rounds;
    }

    /**
     * The statistic on all {@code n} items and its 95% interval. The statistic receives the indices of one resample
     * (length {@code n}, repeats allowed); rounds where it is NaN (say, a constant resample) are left out, and when
     * fewer than half the rounds give a number the interval is NaN.
     */
    public Estimate interval(int n, ToDoubleFunction<int[]> statistic) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        double value = statistic.applyAsDouble(all);
        double[] stats = resample(n, statistic);
        return new Estimate(value, percentile(stats, 0.025), percentile(stats, 0.975));
    }

    /** The statistic on each of the {@code rounds} resamples, in round order (NaN where it has none). */
    public double[] resample(int n, ToDoubleFunction<int[]> statistic) {
        if (n == 0) {
            double[] nan = new double[rounds];
            Arrays.fill(nan, Double.NaN);
            return nan;
        }
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] perRound = new SplittableRandom[rounds];
        for (int r = 0; r < rounds; r++) perRound[r] = root.split();
        double[] out = new double[rounds];
        IntStream.range(0, rounds).parallel().forEach(r -> {
            SplittableRandom rnd = perRound[r];
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = rnd.nextInt(n);
            out[r] = statistic.applyAsDouble(idx);
        });
        return out;
    }

    /**
     * The {@code q} quantile of the finite values, interpolating linearly between order statistics (numpy's default);
     * NaN when fewer than half the values are finite.
     */
    public static double percentile(double[] values, double q) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0 || v.length * 2 < values.length) return Double.NaN;
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }
}
