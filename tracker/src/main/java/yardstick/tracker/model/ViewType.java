package yardstick.tracker.model;

/** Which lifecycle stages a search includes. */
public enum ViewType {
    ACTIVE_ONLY,
    DELETED_ONLY,
    ALL;

    public boolean includes(LifecycleStage stage) {
        return switch (this) {
            case ACTIVE_ONLY -> stage == LifecycleStage.ACTIVE;
            case DELETED_ONLY -> stage == LifecycleStage.DELETED;
            case ALL -> true;
        };
    }

    public static ViewType parse(String text) {
        if (text == null || text.isEmpty()) {
            return ACTIVE_ONLY;
        }
        for (ViewType v : values()) {
            if (v.name().equalsIgnoreCase(text)) {
                return v;
            }
        }
        // MLflow's protobuf enum also has the numeric form.
        return switch (text) {
            case "1" -> ACTIVE_ONLY;
            case "2" -> DELETED_ONLY;
            case "3" -> ALL;
            default -> throw MlflowException.invalidParameter("Invalid value '" + text + "' for parameter 'view_type'");
        };
    }
}
