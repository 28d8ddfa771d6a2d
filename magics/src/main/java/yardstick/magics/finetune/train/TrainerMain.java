package yardstick.magics.finetune.train;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.job.TrainingData;
import yardstick.magics.llm.local.BundledModel;
import yardstick.magics.llm.local.GptConfig;
import yardstick.magics.llm.local.Weights;
import yardstick.magics.rag.embed.Embedder;
import yardstick.magics.rag.embed.Embedders;

/**
 * The trainer process: {@code java -cp ... yardstick.magics.finetune.train.TrainerMain JOB_DIR}. Reads
 * {@code JOB_DIR/spec.json}, appends progress to {@code JOB_DIR/progress.jsonl} and leaves {@code model.ysw} there.
 * Exit status 0 when done, 3 on a NaN loss, 2 on bad input, 1 on any other failure; each failure also ends the
 * progress file with a {@code failed} event that says why.
 */
public final class TrainerMain {
    public static final String SPEC = "spec.json", PROGRESS = "progress.jsonl";

    private TrainerMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: TrainerMain JOB_DIR");
            System.exit(2);
        }
        // Everything this process needs is on the class path; DJL must neither download nor report usage.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("OPT_OUT_TRACKING", "true");
        Path dir = Path.of(args[0]).toAbsolutePath();
        int status;
        try (ProgressLog log = new ProgressLog(dir.resolve(PROGRESS))) {
            status = run(dir, log);
        }
        System.out.flush();
        // PyTorch's thread pools are not daemon threads: leave at once with the status.
        Runtime.getRuntime().halt(status);
    }

    static int run(Path dir, ProgressLog log) {
        try {
            JobSpec spec = JobSpec.read(dir.resolve(SPEC));
            System.out.println("job " + spec.id() + ": " + spec.task() + " on " + spec.data());
            Path result = train(spec, dir, log);
            log.write(log.event("done").put("result", dir.relativize(result).toString()));
            System.out.println("done: " + result);
            return 0;
        } catch (NanLossException e) {
            return fail(log, e.getMessage(), 3, null);
        } catch (JobException e) {
            return fail(log, e.getMessage(), 2, null);
        } catch (Throwable e) {
            return fail(log, e.getClass().getSimpleName() + ": " + e.getMessage(), 1, e);
        }
    }

    private static int fail(ProgressLog log, String reason, int status, Throwable e) {
        if (e != null) e.printStackTrace(System.out);
        System.out.println("failed: " + reason);
        try {
            log.write(log.event("failed").put("reason", reason).put("exit", status));
        } catch (RuntimeException ignored) {
            // The progress file cannot be written: the exit status still tells.
        }
        return status;
    }

    static Path train(JobSpec spec, Path dir, ProgressLog log) throws IOException {
        Device device = TrainLoop.device(spec.device());
        TrainLoop loop = new TrainLoop(spec, dir, log);
        Weights resume = spec.resumeFrom() == null ? null : Weights.read(Path.of(spec.resumeFrom()));
        long first = resume == null ? 0 : resume.meta().path("step").asLong(0);
        if (first > 0) System.out.println("resuming from step " + first + " (" + spec.resumeFrom() + ")");
        switch (spec.task()) {
            case "lm" -> {
                String text = TrainingData.text(Path.of(spec.data()), spec.textColumn());
                Weights base = resume != null ? resume : base(spec.base());
                GptConfig config = base != null ? GptConfig.fromJson(base.config())
                        : new GptConfig(256, spec.context(), spec.dim(), spec.layers(), spec.heads());
                System.out.println("model: " + config + ", " + config.parameters() + " parameters; text: "
                        + text.length() + " characters");
                return loop.run(new LmTask(spec, text, config), device, base, first);
            }
            case "classify" -> {
                List<TrainingData.Row> rows = TrainingData.rows(Path.of(spec.data()), spec.textColumn(), spec.labelColumn());
                long t0 = System.nanoTime();
                List<float[]> vectors;
                Embedder embedder = Embedders.get(spec.base());
                vectors = embedder.embed(rows.stream().map(TrainingData.Row::text).toList());
                System.out.printf("embedded %d texts with %s in %.1f s%n", rows.size(), embedder.name(), (System.nanoTime() - t0) / 1e9);
                ClassifyTask task = new ClassifyTask(spec, rows, vectors);
                if (task.labels().size() < 2) throw new JobException("classify needs at least two labels; " + spec.data() + " has " + task.labels());
                return loop.run(task, device, resume, first);
            }
            default -> throw new JobException("unknown task '" + spec.task() + "': use lm or classify");
        }
    }

    /** A language model to continue from: {@code local} (the bundled model) or a weights file. */
    static Weights base(String base) throws IOException {
        if (base == null || base.isBlank()) return null;
        if (base.equals(BundledModel.NAME)) {
            try (InputStream in = BundledModel.open()) {
                return Weights.read(in, BundledModel.RESOURCE);
            }
        }
        Path p = Path.of(base);
        if (!Files.isRegularFile(p)) throw new JobException("base model " + base + " does not exist");
        return Weights.read(p);
    }
}
