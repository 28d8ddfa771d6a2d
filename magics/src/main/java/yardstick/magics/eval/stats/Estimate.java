package yardstick.magics.eval.stats;

import java.util.Locale;

/** A statistic with its bootstrap 95% interval; {@code low} and {@code high} are NaN when it could not be resampled. */
public record Estimate(double value, double low, double high) {
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", value, low, high);
    }
}
