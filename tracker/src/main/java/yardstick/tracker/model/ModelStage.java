package yardstick.tracker.model;

import java.util.List;
import java.util.Locale;

/** MLflow's model version stages, spelled as MLflow stores and returns them. */
public final class ModelStage {
    public static final String NONE = "None";
    public static final String STAGING = "Staging";
    public static final String PRODUCTION = "Production";
    public static final String ARCHIVED = "Archived";
    /** A deleted version keeps its row, so its number is never given out again, but no call returns it. */
    public static final String DELETED_INTERNAL = "Deleted_Internal";

    public static final List<String> ALL = List.of(NONE, STAGING, PRODUCTION, ARCHIVED);

    private ModelStage() {}

    /** The canonical spelling of a stage named in any case, or INVALID_PARAMETER_VALUE. */
    public static String canonical(String stage) {
        if (stage != null) {
            for (String s : ALL) {
                if (s.toLowerCase(Locale.ROOT).equals(stage.toLowerCase(Locale.ROOT))) {
                    return s;
                }
            }
        }
        throw MlflowException.invalidParameter("Invalid Model Version stage: " + stage + ". Value must be one of "
                + String.join(", ", ALL) + ".");
    }

    /** Whether versions may be archived on the way into this stage: only Staging and Production are active. */
    public static boolean isActive(String canonicalStage) {
        return canonicalStage.equals(STAGING) || canonicalStage.equals(PRODUCTION);
    }
}
