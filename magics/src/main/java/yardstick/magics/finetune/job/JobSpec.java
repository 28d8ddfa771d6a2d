package yardstick.magics.finetune.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a fine-tune job does: the task ({@code lm} or {@code classify}), its data, the model it starts from and the
 * training settings. Written as {@code spec.json} in the job's folder, read by the trainer, by the Slurm script and by
 * a later {@code resume}. For {@code lm}, {@code base} is a weights file (null: a new model of the given sizes); for
 * {@code classify} it names the embedder ({@code minilm}). {@code resumeFrom} is a checkpoint to continue from.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobSpec(String id, String task, String data, String base, int epochs, double lr, int batch,
        String device, String backend, String name, long maxSteps, int checkpointEvery, int context, int dim,
        int layers, int heads, long seed, String textColumn, String labelColumn, String resumeFrom, int gpus) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Defaults for everything but the task and the data. */
    public static JobSpec of(String task, String data) {
        boolean lm = "lm".equals(task);
        return new JobSpec(null, task, data, lm ? null : "minilm", lm ? 1 : 20, lm ? 1e-3 : 3e-3, lm ? 16 : 32, "auto",
                "local", null, 0, lm ? 100 : 50, 128, 128, 4, 4, 42, "text", "label", null, 1);
    }

    public JobSpec withId(String v) {
        return new JobSpec(v, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus);
    }

    public JobSpec withBase(String v) {
        return new JobSpec(id, task, data, v, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus);
    }

    public JobSpec withTraining(int epochs, double lr, int batch, long maxSteps, int checkpointEvery) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus);
    }

    public JobSpec withPlacement(String device, String backend, int gpus) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus);
    }

    public JobSpec withName(String v) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, v, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus);
    }

    public JobSpec withModel(int context, int dim, int layers, int heads) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus);
    }

    public JobSpec withColumns(String text, String label) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, text, label, resumeFrom, gpus);
    }

    public JobSpec withResumeFrom(String v) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, v, gpus);
    }

    public JobSpec withSeed(long v) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, v, textColumn, labelColumn, resumeFrom, gpus);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
    }

    public static JobSpec read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), JobSpec.class);
    }
}
