package yardstick.magics.finetune.job;

/**
 * Where a job is: waiting for GPUs, running, or one of the last three, which are final and named as the tracker names a
 * run's end.
 */
public enum JobState {
    QUEUED, RUNNING, FINISHED, FAILED, KILLED;

    public boolean done() {
        return this != RUNNING && this != QUEUED;
    }
}
