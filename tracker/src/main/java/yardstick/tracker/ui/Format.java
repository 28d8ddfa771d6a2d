package yardstick.tracker.ui;

import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the UI writes times, numbers and URL parts; the templates import these. */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Format() {}

    /** A wall-clock time, or "" for none. */
    public static String time(long millis) {
        return millis <= 0 ? "" : TIME.format(Instant.ofEpochMilli(millis));
    }

    /** A time that may be absent. */
    public static String time(Long millis) {
        return millis == null ? "" : time(millis.longValue());
    }

    /** A metric value as logged: integers without ".0", others in full precision. */
    public static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A value rounded to 4 significant digits, for tables one reads across (the title keeps the full value). */
    public static String shortNumber(double v) {
        if (!Double.isFinite(v) || v == Math.rint(v) && Math.abs(v) < 1e15) {
            return number(v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toString();
    }

    /** A duration between two times, as "3.2 s", "4.5 min" or "1.2 h"; "" when the run has not ended. */
    public static String duration(long start, Long end) {
        if (end == null || start <= 0 || end < start) {
            return "";
        }
        double s = (end - start) / 1000.0;
        return s < 60 ? String.format("%.1f s", s) : s < 3600 ? String.format("%.1f min", s / 60) : String.format("%.1f h", s / 3600);
    }

    /** A query-string or path part, percent-encoded. */
    public static String url(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
