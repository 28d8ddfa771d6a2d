package yardstick.magics.finetune.job;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/** Runs a job's trainer somewhere: a child process of this JVM, or a Slurm cluster. */
public interface Backend {
    String name();

    /** Starts the trainer for the job in {@code dir} (spec.json written) and returns the record with its handle. */
    JobRecord launch(JobRecord record, Path dir);

    /**
     * Starts the job with {@code env} added to its environment (MLflow's variables for a command job, the GPUs it was
     * given); a backend that runs no command ignores it.
     */
    default JobRecord launch(JobRecord record, Path dir, Map<String, String> env) {
        return launch(record, dir);
    }

    /** True while the trainer is still running (or queued). */
    boolean alive(JobRecord record);

    /**
     * A command's exit status as the backend recorded it, for when the job folder's {@link CommandJob#EXIT_FILE} is not
     * there (a shared file system's cache); empty when the backend keeps none.
     */
    default OptionalInt exitCode(JobRecord record) {
        return OptionalInt.empty();
    }

    /** Asks the trainer to stop, and makes sure it has within {@code 5 s}. */
    void cancel(JobRecord record);
}
