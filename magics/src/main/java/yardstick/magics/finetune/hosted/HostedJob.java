package yardstick.magics.finetune.hosted;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a launched job lives remotely, kept as {@code hosted.json} in the job's folder so that a restarted kernel
 * finds it again: the service's job id, the base URL and the variable holding the key (never the key), the models.yaml
 * entry it came from (null: the environment), the base model and the uploaded files.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HostedJob(String fineTuningJobId, String baseUrl, String keyEnv, String endpoint, String model,
        String trainingFile, String validationFile) {
    public static final String FILE = "hosted.json";
    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    public void write(Path dir) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The job's hosted.json, or null when the job never reached the service. */
    public static HostedJob read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        return Files.isRegularFile(f) ? JSON.readValue(f.toFile(), HostedJob.class) : null;
    }
}
