package yardstick.magics.finetune.job;

/** A fine-tune job that cannot be launched or managed, with a one-line reason a notebook shows as is. */
public final class JobException extends RuntimeException {
    public JobException(String message) {
        super(message);
    }

    public JobException(String message, Throwable cause) {
        super(message, cause);
    }
}
