package yardstick.magics.finetune.hosted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import yardstick.magics.finetune.job.JobException;

/**
 * What a hosted fine-tune asks for, read from the job's {@code spec.json} by field name: {@code data} is the training JSONL, {@code hosted.validation} an optional validation JSONL, {@code base}
 * the hosted base model (or a models.yaml name), {@code hosted.endpoint} an optional models.yaml name whose base_url and
 * key_env to use, {@code hosted.suffix} an optional model name suffix; {@code epochs}, {@code batch} and {@code lr} (the
 * learning-rate multiplier) map to the API's hyperparameters, where 0 or less means "auto"; {@code seed} 0 means none.
 */
public record HostedSpec(String training, String validation, String base, String endpoint, String suffix,
        Integer nEpochs, Integer batchSize, Double learningRateMultiplier, Long seed) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the spec a launcher wrote (spec.json). */
    public static HostedSpec read(Path specFile) {
        JsonNode n;
        try {
            n = JSON.readTree(specFile.toFile());
        } catch (IOException e) {
            throw new JobException("cannot read the job's spec " + specFile + ": " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) throw new JobException("the job's spec " + specFile + " is not a JSON object");
        String data = RemoteJob.text(n, "data");
        if (data == null) throw new JobException("--data FILE is required: the training examples as chat JSONL");
        int epochs = n.path("epochs").asInt(0), batch = n.path("batch").asInt(0);
        double lr = n.path("lr").asDouble(0);
        long seed = n.path("seed").asLong(0);
        JsonNode h = n.path("hosted");
        return new HostedSpec(data, RemoteJob.text(h, "validation"), RemoteJob.text(n, "base"),
                RemoteJob.text(h, "endpoint"), RemoteJob.text(h, "suffix"), epochs > 0 ? epochs : null,
                batch > 0 ? batch : null, lr > 0 && Double.isFinite(lr) ? lr : null, seed != 0 ? seed : null);
    }
}
