package yardstick.magics.finetune.job;

import java.nio.file.Path;

/** What a {@link JobMonitor} reports as it reads a job's progress; each method is called on the monitor's thread. */
public interface JobListener {
    default void step(Progress p) {}

    /** A metric the trainer computed (validation accuracy after an epoch). */
    default void metric(String key, double value, long step) {}

    default void checkpoint(long step, Path file) {}

    /** The job ended; {@code reason} says why when it failed or was killed, {@code logTail} is the log's end. */
    default void ended(JobRecord record, Progress last, Path result, String logTail) {}
}
