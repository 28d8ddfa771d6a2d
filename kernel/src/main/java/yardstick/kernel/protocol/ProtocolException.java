package yardstick.kernel.protocol;

/** A message that cannot be accepted: bad signature, malformed frames or JSON. It is dropped and logged. */
public final class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
