package yardstick.tracker.model;

/** A failure the REST API reports to the caller as {@code {"error_code", "message"}}. */
public final class MlflowException extends RuntimeException {
    private final ErrorCode code;
    private final int httpStatus;

    public MlflowException(ErrorCode code, String message) {
        this(code, message, code.httpStatus());
    }

    /**
     * A failure answered with an HTTP status other than its code's, where HTTP has a more exact one than MLflow's
     * codes: 405 for a method the endpoint is not bound to, 413 for a body over the size limit.
     */
    public MlflowException(ErrorCode code, String message, int httpStatus) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public ErrorCode code() {
        return code;
    }

    /** The HTTP status to answer with. */
    public int httpStatus() {
        return httpStatus;
    }

    public static MlflowException invalidParameter(String message) {
        return new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public static MlflowException notFound(String message) {
        return new MlflowException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
    }
}
