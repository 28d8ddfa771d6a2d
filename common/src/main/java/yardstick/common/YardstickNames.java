package yardstick.common;

/**
 * Names the kernel, the magics and the tracker share, defined once: the home folder, environment variables,
 * files in the home and the tracker's default port. Tag names live beside the tracker's model
 * ({@code yardstick.tracker.model.Tags}), since only the magics and the tracker use them.
 */
public final class YardstickNames {
    private YardstickNames() {}

    /** System property naming the home folder; a JVM cannot change its own environment, so tests set this. */
    public static final String HOME_PROPERTY = "yardstick.home";
    /** Environment variable naming the home folder. */
    public static final String HOME_ENV = "YARDSTICK_HOME";
    /** The home folder's name under the user's home when neither of the above is set. */
    public static final String HOME_FOLDER = ".yardstick";

    /** The tracker's port when none is given, MLflow's too. */
    public static final int TRACKER_DEFAULT_PORT = 5000;
    /** The home's SQLite store. */
    public static final String TRACKER_DATABASE = "tracker.db";
    /** The home's artifact root. */
    public static final String TRACKER_ARTIFACTS = "artifacts";
    /** The home's shared tracker announces itself here (url, pid, instance), so every kernel of the home finds it. */
    public static final String TRACKER_FILE = "tracker.json";
    /** Locked while a kernel checks for and starts the home's tracker, so two never start two. */
    public static final String TRACKER_LOCK_FILE = "tracker.lock";
    /** The home's shared tracker's output. */
    public static final String TRACKER_LOG_FILE = "tracker.log";
    /** {@code in-process} runs the tracker inside the kernel's JVM, ending with it (tests); by default kernels share the home's. */
    public static final String TRACKER_MODE_ENV = "YARDSTICK_TRACKER_MODE";

    /** MLflow's environment contract. */
    public static final String MLFLOW_TRACKING_URI = "MLFLOW_TRACKING_URI";
    public static final String MLFLOW_TRACKING_TOKEN = "MLFLOW_TRACKING_TOKEN";
    public static final String MLFLOW_TRACKING_USERNAME = "MLFLOW_TRACKING_USERNAME";
    public static final String MLFLOW_TRACKING_PASSWORD = "MLFLOW_TRACKING_PASSWORD";
    public static final String MLFLOW_EXPERIMENT_NAME = "MLFLOW_EXPERIMENT_NAME";
    public static final String MLFLOW_EXPERIMENT_ID = "MLFLOW_EXPERIMENT_ID";
    public static final String MLFLOW_RUN_ID = "MLFLOW_RUN_ID";

    /** {@code off}, {@code false} or {@code 0} turns run logging off. */
    public static final String TRACKING_ENV = "YARDSTICK_TRACKING";
    /** The notebook's path, where the front end does not say it (set by {@code yardstick run}). */
    public static final String NOTEBOOK_ENV = "YARDSTICK_NOTEBOOK";
    /** Jupyter's name for the notebook's path (JupyterLab, Notebook 7, VS Code; not Notebook 6). */
    public static final String JUPYTER_SESSION_NAME_ENV = "JPY_SESSION_NAME";
    /** System property the kernel sets to its connection file, whose name holds the kernel's id. */
    public static final String KERNEL_CONNECTION_FILE_PROPERTY = "yardstick.kernel.connection_file";
    /** The tracker's bearer token and extra allowed host names. */
    public static final String TRACKER_TOKEN_ENV = "YARDSTICK_TRACKER_TOKEN";
    public static final String TRACKER_ALLOWED_HOSTS_ENV = "YARDSTICK_TRACKER_ALLOWED_HOSTS";
}
