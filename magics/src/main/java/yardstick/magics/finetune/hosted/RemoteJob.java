package yardstick.magics.finetune.hosted;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code fine_tuning.job} object as the API returns it: its id, {@code status} ({@code validating_files},
 * {@code queued}, {@code running}, {@code succeeded}, {@code failed} or {@code cancelled}), the base {@code model},
 * {@code fine_tuned_model} once it has succeeded, {@code trained_tokens} (-1 while unknown), {@code result_files},
 * {@code error} when it failed, {@code created_at} in seconds, and {@code hyperparameters.n_epochs} (0 while "auto").
 */
public record RemoteJob(String id, String status, String model, String fineTunedModel, long trainedTokens,
        List<String> resultFiles, Error error, long createdAt, int nEpochs) {
    public static final String SUCCEEDED = "succeeded", FAILED = "failed", CANCELLED = "cancelled";
    private static final Set<String> FINAL = Set.of(SUCCEEDED, FAILED, CANCELLED);

    /** A failed job's {@code error} object: a machine code, a human message, and the parameter at fault (or null). */
    public record Error(String code, String message, String param) {}

    public RemoteJob {
        resultFiles = List.copyOf(resultFiles);
    }

    /** True once the job can change no more. */
    public boolean isFinal() {
        return FINAL.contains(status);
    }

    static RemoteJob of(JsonNode n) {
        List<String> results = new ArrayList<>();
        for (JsonNode f : n.path("result_files")) results.add(f.asText());
        JsonNode e = n.path("error");
        Error error = e.isObject() && (e.hasNonNull("message") || e.hasNonNull("code"))
                ? new Error(text(e, "code"), text(e, "message"), text(e, "param")) : null;
        JsonNode epochs = n.path("hyperparameters").path("n_epochs");
        JsonNode tokens = n.path("trained_tokens");
        return new RemoteJob(text(n, "id"), text(n, "status"), text(n, "model"), text(n, "fine_tuned_model"),
                tokens.isNumber() ? tokens.asLong() : -1, results, error, n.path("created_at").asLong(),
                epochs.isNumber() ? epochs.asInt() : 0);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
