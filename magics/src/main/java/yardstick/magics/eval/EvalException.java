package yardstick.magics.eval;

/** Bad eval input (a missing field, an unknown scorer, an unreadable file); the message says what, in one line. */
public class EvalException extends RuntimeException {
    public EvalException(String message) {
        super(message);
    }

    public EvalException(String message, Throwable cause) {
        super(message, cause);
    }
}
