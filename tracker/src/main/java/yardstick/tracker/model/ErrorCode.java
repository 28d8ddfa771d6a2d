package yardstick.tracker.model;

/** MLflow's error codes (databricks.proto) with the HTTP status MLflow's server answers each with. */
public enum ErrorCode {
    INTERNAL_ERROR(500),
    TEMPORARILY_UNAVAILABLE(503),
    BAD_REQUEST(400),
    INVALID_PARAMETER_VALUE(400),
    ENDPOINT_NOT_FOUND(404),
    MALFORMED_REQUEST(400),
    INVALID_STATE(400),
    PERMISSION_DENIED(403),
    UNAUTHENTICATED(401),
    REQUEST_LIMIT_EXCEEDED(429),
    RESOURCE_ALREADY_EXISTS(400),
    RESOURCE_DOES_NOT_EXIST(404);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
