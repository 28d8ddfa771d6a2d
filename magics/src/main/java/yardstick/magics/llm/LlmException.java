package yardstick.magics.llm;

/**
 * A model call or its input went wrong; the message says what in one line. A fatal one (bad key, endpoint down,
 * bad configuration) would fail every other call the same way, so a batch stops on it instead of marking each row.
 */
public class LlmException extends RuntimeException {
    private final boolean fatal;

    public LlmException(String message) {
        this(message, false, null);
    }

    public LlmException(String message, boolean fatal, Throwable cause) {
        super(message, cause);
        this.fatal = fatal;
    }

    public static LlmException fatal(String message) {
        return new LlmException(message, true, null);
    }

    public boolean fatal() {
        return fatal;
    }

    /** True when the call stopped because its thread was interrupted. */
    public boolean interrupted() {
        return getCause() instanceof InterruptedException;
    }

    static LlmException interrupted(InterruptedException e) {
        return new LlmException("interrupted", true, e);
    }
}
