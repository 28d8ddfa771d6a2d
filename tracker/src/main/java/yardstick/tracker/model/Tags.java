package yardstick.tracker.model;

/**
 * Tag names Yardstick writes on runs and reads back: the magics write them, the history UI and searches read
 * them. MLflow's own tags ({@code mlflow.*}) are listed where Yardstick relies on them.
 */
public final class Tags {
    private Tags() {}

    /** The source of the notebook cell that made a run (cut to 5,000 characters). */
    public static final String CELL = "yardstick.cell";
    /** What a run is: {@code session} (a kernel's parent run), {@code run} (a user's run) or {@code magic}. */
    public static final String KIND = "yardstick.kind";
    /** The magic that made a run, such as {@code prompt}. */
    public static final String MAGIC = "yardstick.magic";
    /** The Yardstick version that logged a session. */
    public static final String VERSION = "yardstick.version";
    /** A fine-tune job's id, host and granted GPUs. */
    public static final String JOB_ID = "yardstick.job.id";
    public static final String JOB_HOST = "yardstick.job.host";
    public static final String JOB_GPUS = "yardstick.job.gpus";

    /** MLflow's run name tag. */
    public static final String RUN_NAME = "mlflow.runName";
    /** MLflow's parent run tag: a magic's run is a child of the kernel session's run. */
    public static final String PARENT_RUN_ID = "mlflow.parentRunId";
}
