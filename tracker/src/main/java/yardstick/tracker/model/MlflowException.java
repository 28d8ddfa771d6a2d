package yardstick.tracker.model;

/** A failure the REST API reports to the caller as {@code {"error_code", "message"}}. */
public final class MlflowException extends RuntimeException {
    private final ErrorCode code;

    public MlflowException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static MlflowException invalidParameter(String message) {
        return new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public static MlflowException notFound(String message) {
        return new MlflowException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
    }
}
