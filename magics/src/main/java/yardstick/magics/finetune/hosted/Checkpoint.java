package yardstick.magics.finetune.hosted;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A {@code fine_tuning.job.checkpoint}: a model the API keeps at a step ({@code fine_tuned_model_checkpoint}, which
 * can be prompted like the final model) and the metrics there.
 */
public record Checkpoint(String id, String fineTunedModelCheckpoint, long stepNumber, JsonNode metrics) {
    static Checkpoint of(JsonNode n) {
        return new Checkpoint(RemoteJob.text(n, "id"), RemoteJob.text(n, "fine_tuned_model_checkpoint"),
                n.path("step_number").asLong(), n.path("metrics"));
    }
}
