package yardstick.magics.finetune.hosted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A {@code fine_tuning.job.event}: its id, {@code created_at} in seconds, {@code level} (info, warn, error), its
 * {@code message}, its {@code type} ({@code message} or {@code metrics}) and {@code data}, which for a metrics event
 * holds {@code step}, {@code total_steps}, {@code train_loss}, {@code train_mean_token_accuracy} and, with a validation
 * file, {@code valid_loss} and {@code valid_mean_token_accuracy}.
 */
public record JobEvent(String id, long createdAt, String level, String message, String type, JsonNode data) {
    public boolean isMetrics() {
        return "metrics".equals(type) && data.isObject();
    }

    static JobEvent of(JsonNode n) {
        JsonNode data = n.get("data");
        return new JobEvent(RemoteJob.text(n, "id"), n.path("created_at").asLong(), n.path("level").asText("info"),
                n.path("message").asText(""), n.path("type").asText("message"),
                data == null || data.isNull() ? MissingNode.getInstance() : data);
    }
}
