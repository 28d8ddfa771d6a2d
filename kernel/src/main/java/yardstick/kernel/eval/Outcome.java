package yardstick.kernel.eval;

/**
 * What evaluating a piece of Java produced: a live value (when the last snippet was an expression), or an error.
 */
public record Outcome(boolean hasValue, Object value, CellError error) {
    static final Outcome NOTHING = new Outcome(false, null, null);

    static Outcome value(Object v) {
        return new Outcome(true, v, null);
    }

    static Outcome failed(CellError e) {
        return new Outcome(false, null, e);
    }

    public boolean ok() {
        return error == null;
    }
}
