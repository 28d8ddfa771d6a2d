package yardstick.magics.eval;

/**
 * One scorer's verdict on one output: a number (1/0 for checks, 0..1 for ROUGE-L, -1..1 for embedding similarity,
 * 1..5 for a judge) and a note (a judge's rationale, a schema error). A failed score means the scorer could not score
 * (a judge that answered no score, a model call that failed); it is left out of means, never counted as zero.
 */
public record Score(double value, String note, boolean failed) {
    public static Score of(double value) {
        return new Score(value, "", false);
    }

    public static Score of(double value, String note) {
        return new Score(value, note == null ? "" : note, false);
    }

    public static Score pass(boolean ok) {
        return of(ok ? 1 : 0);
    }

    public static Score failure(String why) {
        return new Score(Double.NaN, why, true);
    }
}
