package yardstick.tracker.model;

/** Whether an experiment or run is live or soft-deleted; stored as MLflow's lower-case words. */
public enum LifecycleStage {
    ACTIVE("active"),
    DELETED("deleted");

    private final String word;

    LifecycleStage(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static LifecycleStage fromWord(String word) {
        return "deleted".equals(word) ? DELETED : ACTIVE;
    }
}
