package yardstick.kernel.protocol;

/**
 * A message that cannot be accepted: bad signature, malformed frames or JSON, a part too large. One whose signature
 * and header were good carries what could be read of it ({@link #request()}), so its sender still gets an answer;
 * any other is dropped and logged.
 */
public final class ProtocolException extends Exception {
    private final transient Message request;

    public ProtocolException(String message) {
        this(message, null, null);
    }

    public ProtocolException(String message, Throwable cause) {
        this(message, cause, null);
    }

    public ProtocolException(String message, Throwable cause, Message request) {
        super(message, cause);
        this.request = request;
    }

    /** The message with its identities and header but an empty content, when it can be answered; else null. */
    public Message request() {
        return request;
    }
}
