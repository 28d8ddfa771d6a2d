package yardstick.kernel.magic;

/** A magic's arguments or input are wrong; its message says exactly what, in one line. */
public class MagicException extends Exception {
    public MagicException(String message) {
        super(message);
    }

    public MagicException(String message, Throwable cause) {
        super(message, cause);
    }
}
