package yardstick.magics.finetune;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobSpec;

/** {@code %finetune launch|status|logs|cancel|resume|wait}: a text front for {@link Finetune}. */
public final class FinetuneMagic implements Magic {
    private static final Args.Spec LAUNCH = Args.Spec.of(Set.of("--task", "--data", "--base", "--epochs", "--lr", "--batch",
            "--device", "--backend", "--name", "--steps", "--checkpoint-every", "--context", "--dim", "--layers", "--heads",
            "--text-column", "--label-column", "--gpus", "--seed"), Set.of());
    private static final Args.Spec OTHER = Args.Spec.of(Set.of("-n", "--timeout"), Set.of());

    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public String usage() {
        return "%finetune launch --task classify|lm --data FILE [--base MODEL_OR_JOB] [--epochs N] [--lr X] [--batch N]"
                + " [--device auto|cpu|gpu] [--backend local|slurm] [--name NAME] [--steps N] | %finetune status [ID]"
                + " | %finetune logs ID [-n 40] | %finetune cancel ID | %finetune resume ID | %finetune wait ID [--timeout 600]";
    }

    @Override
    public String help() {
        return "Fine-tunes as background jobs. 'launch' checks the spec and the data, starts the trainer (a child JVM"
                + " running DJL on PyTorch, or an sbatch job) and returns the job id at once; a progress bar follows it"
                + " and the tracker gets a child run with loss and throughput per step. classify trains a head over"
                + " frozen MiniLM embeddings (columns text, label); lm trains a small byte-level transformer (from"
                + " scratch, or --base local / a job id to continue). Jobs live in ~/.yardstick/jobs and survive a"
                + " kernel restart. Use the result with Models.classifier(runOrJobId) or %%prompt --model local:PATH"
                + " (Models.lmName(jobId)).";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        List<String> words = call.words();
        if (words.isEmpty()) throw new MagicException("missing subcommand: launch, status, logs, cancel, resume or wait");
        String sub = words.get(0);
        List<String> rest = words.subList(1, words.size());
        Finetune jobs = Finetune.jobs();
        try {
            return switch (sub) {
                case "launch" -> launch(call, jobs, Args.parse(rest, LAUNCH));
                case "status" -> {
                    Args a = Args.parse(rest, OTHER);
                    if (a.positionals().isEmpty()) yield jobs.table();
                    yield describe(jobs, jobs.status(a.positionals().get(0)));
                }
                case "logs" -> {
                    Args a = Args.parse(rest, OTHER);
                    System.out.println(jobs.logs(id(a), a.intOption("-n", 40)));
                    yield null;
                }
                case "cancel" -> describe(jobs, jobs.cancel(id(Args.parse(rest, OTHER))));
                case "resume" -> {
                    String id = jobs.resume(id(Args.parse(rest, OTHER)));
                    System.out.println("resumed " + id + " from its last checkpoint");
                    yield null;
                }
                case "wait" -> {
                    Args a = Args.parse(rest, OTHER);
                    yield describe(jobs, jobs.await(id(a), Duration.ofSeconds(a.intOption("--timeout", 600))));
                }
                default -> throw new MagicException("unknown subcommand '" + sub + "': use launch, status, logs, cancel, resume or wait");
            };
        } catch (JobException e) {
            throw new MagicException(e.getMessage(), e);
        }
    }

    private static String id(Args a) throws MagicException {
        if (a.positionals().isEmpty()) throw new MagicException("missing job ID (see %finetune status)");
        return a.positionals().get(0);
    }

    private static String describe(Finetune jobs, JobRecord r) {
        return "job " + r.id() + ": " + r.state() + (r.reason() == null ? "" : " (" + r.reason() + ")")
                + (r.runId() == null ? "" : ", run " + r.runId());
    }

    private Object launch(MagicCall call, Finetune jobs, Args a) throws MagicException {
        String task = a.option("--task", null);
        if (task == null) throw new MagicException("--task classify|lm is required");
        String data = a.option("--data", null);
        if (data == null) throw new MagicException("--data FILE is required");
        Path file = call.context().workingDirectory().resolve(data);
        JobSpec d = JobSpec.of(task, file.toString());
        JobSpec s = d.withBase(a.option("--base", d.base()))
                .withTraining(a.intOption("--epochs", d.epochs()), a.doubleOption("--lr", d.lr()), a.intOption("--batch", d.batch()),
                        a.intOption("--steps", 0), a.intOption("--checkpoint-every", d.checkpointEvery()))
                .withPlacement(a.option("--device", d.device()), a.option("--backend", d.backend()), a.intOption("--gpus", 1))
                .withName(a.option("--name", null))
                .withModel(a.intOption("--context", d.context()), a.intOption("--dim", d.dim()), a.intOption("--layers", d.layers()),
                        a.intOption("--heads", d.heads()))
                .withColumns(a.option("--text-column", "text"), a.option("--label-column", "label"))
                .withSeed(a.intOption("--seed", (int) d.seed()));
        String id = jobs.launch(s, "%finetune " + call.rawArgs());
        return id;
    }
}
