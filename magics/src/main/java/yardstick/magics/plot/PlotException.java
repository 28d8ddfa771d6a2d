package yardstick.magics.plot;

/** A chart cannot be drawn from what was given (no such column, not numbers); the message says which, in one line. */
public class PlotException extends RuntimeException {
    public PlotException(String message) {
        super(message);
    }
}
