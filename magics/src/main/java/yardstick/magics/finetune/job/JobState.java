package yardstick.magics.finetune.job;

/** Where a job is; the last three are final and named as the tracker names a run's end. */
public enum JobState {
    RUNNING, FINISHED, FAILED, KILLED;

    public boolean done() {
        return this != RUNNING;
    }
}
