package yardstick.kernel.magic.builtin;

import java.util.Arrays;
import java.util.Locale;

/**
 * What {@code %timeit -o} returns: the loop count and the time per loop of each run, in seconds. Its text is the
 * line {@code %timeit} prints.
 */
public record TimeitResult(long loops, double[] perLoopSeconds) {
    public int runs() {
        return perLoopSeconds.length;
    }

    public double mean() {
        return Arrays.stream(perLoopSeconds).average().orElse(Double.NaN);
    }

    /** The population standard deviation over runs, as IPython reports it. */
    public double stdev() {
        double m = mean();
        return Math.sqrt(Arrays.stream(perLoopSeconds).map(x -> (x - m) * (x - m)).sum() / perLoopSeconds.length);
    }

    public double best() {
        return Arrays.stream(perLoopSeconds).min().orElse(Double.NaN);
    }

    public double worst() {
        return Arrays.stream(perLoopSeconds).max().orElse(Double.NaN);
    }

    @Override
    public String toString() {
        return Durations.format(mean()) + " ± " + Durations.format(stdev()) + " per loop (mean ± std. dev. of "
                + runs() + " run" + (runs() == 1 ? "" : "s") + ", " + String.format(Locale.ROOT, "%,d", loops)
                + " loop" + (loops == 1 ? "" : "s") + " each)";
    }
}
