package yardstick.tracker.client;

import java.io.IOException;

/** A refused artifact request, with the server's HTTP status and MLflow error code. */
public final class ArtifactClientException extends IOException {
    private final int status;
    private final String errorCode;

    public ArtifactClientException(int status, String errorCode, String message) {
        super(status + " " + errorCode + ": " + message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }
}
