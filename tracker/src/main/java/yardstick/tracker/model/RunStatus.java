package yardstick.tracker.model;

/** MLflow's run states. */
public enum RunStatus {
    RUNNING,
    SCHEDULED,
    FINISHED,
    FAILED,
    KILLED;

    public static RunStatus parse(String text) {
        for (RunStatus s : values()) {
            if (s.name().equals(text)) {
                return s;
            }
        }
        return switch (text) {
            case "1" -> RUNNING;
            case "2" -> SCHEDULED;
            case "3" -> FINISHED;
            case "4" -> FAILED;
            case "5" -> KILLED;
            default -> throw MlflowException.invalidParameter("Invalid value '" + text + "' for parameter 'status'");
        };
    }
}
