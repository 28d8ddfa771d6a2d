package yardstick.magics.finetune.hosted;

/**
 * A call to the fine-tuning API that failed, with a one-line message (the server's own words where it gave any) and
 * the HTTP status, 0 when no answer came. {@link #transientFailure()} says whether trying later may succeed.
 */
public final class HostedApiException extends RuntimeException {
    private final int status;

    public HostedApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Rate limits, server errors and unreachable servers pass; a bad key, a bad request or a missing job do not. */
    public boolean transientFailure() {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }
}
