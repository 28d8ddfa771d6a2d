package yardstick.spark;

/** A Spark run that cannot go on, with one line that says why (the notebook shows it without a stack trace). */
public final class SparkException extends RuntimeException {
    public SparkException(String message) {
        super(message);
    }

    public SparkException(String message, Throwable cause) {
        super(message, cause);
    }
}
