package yardstick.magics.finetune.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.llm.local.Weights;

/**
 * Reproduces the bundled model: {@code Pretrain train CORPUS JOB_DIR [STEPS]} trains the shipped configuration on the
 * corpus (the trainer's own progress file shows it going), {@code Pretrain export WEIGHTS OUT} writes a checkpoint or
 * result as float16 for the jar. See magics/data/local-model/README.md.
 */
public final class Pretrain {
    /** The shipped model: 4 layers, width 144, 4 heads, 96 bytes of context (about 1.05 M parameters). */
    public static JobSpec spec(Path corpus, long steps) {
        return JobSpec.of("lm", corpus.toAbsolutePath().toString()).withId("pretrain-local").withModel(96, 144, 4, 4)
                .withTraining(1, 2e-3, 32, steps, 50).withPlacement("cpu", "local", 1).withSeed(7);
    }

    private Pretrain() {}

    public static void main(String[] args) throws IOException {
        if (args.length >= 3 && args[0].equals("train")) {
            Path dir = Path.of(args[2]);
            spec(Path.of(args[1]), args.length > 3 ? Long.parseLong(args[3]) : 800).write(dir.resolve(TrainerMain.SPEC));
            TrainerMain.main(new String[] {dir.toString()});
        } else if (args.length == 3 && args[0].equals("export")) {
            Weights w = Weights.read(Path.of(args[1]));
            Files.createDirectories(Path.of(args[2]).toAbsolutePath().getParent());
            w.write(Path.of(args[2]), true);
            System.out.println(args[2] + ": " + w.parameterCount() + " parameters, step " + w.meta().path("step").asLong()
                    + ", loss " + w.meta().path("loss").asDouble());
        } else {
            System.err.println("usage: Pretrain train CORPUS JOB_DIR [STEPS] | Pretrain export WEIGHTS OUT");
            System.exit(2);
        }
    }
}
