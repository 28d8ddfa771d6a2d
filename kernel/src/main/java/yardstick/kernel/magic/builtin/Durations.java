package yardstick.kernel.magic.builtin;

import java.math.BigDecimal;
import java.math.MathContext;

/** Formats durations as IPython does: three significant digits in s, ms, µs or ns; minutes and hours past 60 s. */
final class Durations {
    private static final String[] UNITS = {"s", "ms", "µs", "ns"};

    private Durations() {}

    static String format(double seconds) {
        if (seconds >= 60) {
            long total = Math.round(seconds);
            long h = total / 3600, min = total % 3600 / 60, s = total % 60;
            return (h > 0 ? h + "h " : "") + (h > 0 || min > 0 ? min + "min " : "") + s + "s";
        }
        int order = 0;
        double scaled = seconds;
        while (order < UNITS.length - 1 && scaled > 0 && scaled < 1) {
            scaled *= 1000;
            order++;
        }
        return significant(scaled) + " " + UNITS[order];
    }

    private static String significant(double v) {
        BigDecimal d = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
