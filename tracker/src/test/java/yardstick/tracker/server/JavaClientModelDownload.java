package yardstick.tracker.server;

import java.io.File;
import org.mlflow.tracking.MlflowClient;

/**
 * Calls the unmodified MLflow Java client's {@code downloadModelVersion} in a JVM of its own, whose environment
 * ({@code MLFLOW_PYTHON_EXECUTABLE}) says which Python the client forks: {@code TRACKING_URI NAME VERSION}.
 * Prints {@code downloaded=PATH}.
 */
public final class JavaClientModelDownload {
    private JavaClientModelDownload() {}

    public static void main(String[] args) {
        MlflowClient client = new MlflowClient(args[0]);
        try {
            File dir = client.downloadModelVersion(args[1], args[2]);
            System.out.println("downloaded=" + dir.getAbsolutePath());
        } finally {
            client.close();
        }
    }
}
