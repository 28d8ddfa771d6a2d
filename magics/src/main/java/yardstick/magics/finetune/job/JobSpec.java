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
 * A {@link #command} job (task {@code command}) runs a trainer's command line instead: {@code command} says how, and
 * {@code maxSteps} (0: the trainer's {@code total_steps} param) is the progress bar's length.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobSpec(String id, String task, String data, String base, int epochs, double lr, int batch,
        String device, String backend, String name, long maxSteps, int checkpointEvery, int context, int dim,
        int layers, int heads, long seed, String textColumn, String labelColumn, String resumeFrom, int gpus,
        CommandSpec command, String register, Hosted hosted) {

    /** A hosted fine-tune's extras: a validation JSONL, the models.yaml endpoint to train on, a model name suffix. */
    public record Hosted(String validation, String endpoint, String suffix) {}

    /** The task name of a {@link #command} job. */
    public static final String COMMAND = "command";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Defaults for everything but the task and the data. */
    public static JobSpec of(String task, String data) {
        boolean lm = "lm".equals(task);
        return new JobSpec(null, task, data, lm ? null : "minilm", lm ? 1 : 20, lm ? 1e-3 : 3e-3, lm ? 16 : 32, "auto",
                "local", null, 0, lm ? 100 : 50, 128, 128, 4, 4, 42, "text", "label", null, 1, null, null, null);
    }

    public JobSpec withId(String v) {
        return new JobSpec(v, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus, command, register, hosted);
    }

    public JobSpec withBase(String v) {
        return new JobSpec(id, task, data, v, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus, command, register, hosted);
    }

    public JobSpec withTraining(int epochs, double lr, int batch, long maxSteps, int checkpointEvery) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus, command, register, hosted);
    }

    public JobSpec withPlacement(String device, String backend, int gpus) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus, command, register, hosted);
    }

    public JobSpec withName(String v) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, v, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus, command, register, hosted);
    }

    public JobSpec withModel(int context, int dim, int layers, int heads) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus, command, register, hosted);
    }

    public JobSpec withColumns(String text, String label) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, text, label, resumeFrom, gpus, command, register, hosted);
    }

    public JobSpec withResumeFrom(String v) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, v, gpus, command, register, hosted);
    }

    public JobSpec withSeed(long v) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, v, textColumn, labelColumn, resumeFrom, gpus, command, register, hosted);
    }

    /** A job that runs a trainer's command line in {@code workdir}; GPUs default to {@code -1}: all free ones up to one. */
    public static JobSpec command(String line, String workdir) {
        return new JobSpec(null, COMMAND, null, null, 0, 0, 0, "auto", "local", null, 0, 0, 0, 0, 0, 0, 0, null, null,
                null, -1, CommandSpec.of(line, workdir), null, null);
    }

    public boolean runsCommand() {
        return command != null;
    }

    public JobSpec withCommand(CommandSpec v) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus, v, register, hosted);
    }

    /** The registered model a finished job becomes a new version of; null: none. */
    public JobSpec withRegister(String v) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus, command, v, hosted);
    }

    public JobSpec withHosted(Hosted v) {
        return new JobSpec(id, task, data, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus, command, register, v);
    }

    public JobSpec withData(String v) {
        return new JobSpec(id, task, v, base, epochs, lr, batch, device, backend, name, maxSteps, checkpointEvery,
                context, dim, layers, heads, seed, textColumn, labelColumn, resumeFrom, gpus, command, register, hosted);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
    }

    public static JobSpec read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), JobSpec.class);
    }
}
