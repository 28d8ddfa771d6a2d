package yardstick.magics.finetune;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.hosted.OpenAiBackend;
import yardstick.magics.finetune.job.CommandSpec;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobSpec;

/** {@code %finetune launch|status|logs|cancel|resume|wait}: a text front for {@link Finetune}. */
public final class FinetuneMagic implements Magic {
    private static final Args.Spec LAUNCH = Args.Spec.of(Set.of("--task", "--data", "--base", "--epochs", "--lr", "--batch",
            "--device", "--backend", "--name", "--steps", "--checkpoint-every", "--context", "--dim", "--layers", "--heads",
            "--text-column", "--label-column", "--gpus", "--seed", "--command", "--workdir", "--env", "--nodes",
            "--ntasks-per-node", "--progress-metric", "--max-steps", "--register", "--model-artifact", "--validation",
            "--endpoint", "--suffix"), Set.of());
    private static final Args.Spec OTHER = Args.Spec.of(Set.of("-n", "--timeout"), Set.of());

    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public String usage() {
        return "%finetune launch --command \"CMD ARGS...\" [--gpus N] [--nodes N] [--ntasks-per-node N] [--backend local|slurm]"
                + " [--workdir DIR] [--env K=V]... [--data FILE]... [--name NAME] [--register MODEL] [--progress-metric loss]"
                + " [--max-steps N] [--model-artifact PATH]"
                + " | %finetune launch --backend openai --base MODEL --data train.jsonl [--validation valid.jsonl]"
                + " [--endpoint NAME] [--suffix S] [--epochs N] [--batch N] [--lr MULTIPLIER] [--register MODEL]"
                + " | %finetune launch --task classify|lm --data FILE [--base MODEL_OR_JOB] [--epochs N] [--lr X] [--batch N]"
                + " [--device auto|cpu|gpu] [--backend local|slurm] [--name NAME] [--steps N] [--register MODEL]"
                + " | %finetune status [ID] | %finetune logs ID [-n 40] | %finetune cancel ID | %finetune resume ID"
                + " | %finetune wait [ID] [--timeout 600] | %finetune register JOB MODEL";
    }

    @Override
    public String help() {
        return "Fine-tunes as background jobs. 'launch --command' runs any trainer (a PyTorch script, torchrun, a Hugging"
                + " Face or torchtune recipe) with MLflow's environment (MLFLOW_TRACKING_URI, MLFLOW_EXPERIMENT_ID,"
                + " MLFLOW_RUN_ID) pointing at a child run created first, so the trainer's own MLflow logging lands there;"
                + " the progress bar follows the run's --progress-metric; --gpus N waits QUEUED until N GPUs are free and"
                + " pins the job to them with CUDA_VISIBLE_DEVICES (default: one GPU where there is one); exit 0 is"
                + " FINISHED, anything else FAILED with the log's end; cancel kills the whole process group (scancel on"
                + " Slurm). --register MODEL makes the finished job's weights a version of MODEL, promptable as"
                + " models:/MODEL/VERSION. 'launch --task' checks the spec and the data, starts the trainer (a child JVM"
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
        if (words.isEmpty()) throw new MagicException("missing subcommand: launch, status, logs, cancel, resume, wait or register");
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
                    String id = a.positionals().isEmpty() ? jobs.lastLaunched() : a.positionals().get(0);
                    yield describe(jobs, jobs.await(id, Duration.ofSeconds(a.intOption("--timeout", 600))));
                }
                case "register" -> {
                    Args a = Args.parse(rest, OTHER);
                    if (a.positionals().size() != 2) throw new MagicException("usage: %finetune register JOB_OR_RUN MODEL_NAME");
                    String name = a.positionals().get(1);
                    yield "registered as models:/" + name + "/" + jobs.register(a.positionals().get(0), name);
                }
                default -> throw new MagicException("unknown subcommand '" + sub + "': use launch, status, logs, cancel,"
                        + " resume, wait or register");
            };
        } catch (JobException e) {
            throw new MagicException(e.getMessage(), e);
        }
    }

    /** A hosted fine-tune: hyperparameters left out are the service's choice ("auto"). */
    private static JobSpec hostedSpec(MagicCall call, Args a) throws MagicException {
        String data = a.option("--data", null), base = a.option("--base", null);
        if (data == null) throw new MagicException("--data FILE is required: the training examples as chat JSONL");
        if (base == null) throw new MagicException("--base MODEL is required: the hosted model to fine-tune");
        Path cwd = call.context().workingDirectory();
        String valid = a.option("--validation", null);
        return OpenAiBackend.spec(cwd.resolve(data).toString(), base)
                .withTraining(a.intOption("--epochs", 0), a.doubleOption("--lr", 0), a.intOption("--batch", 0), 0, 0)
                .withSeed(a.intOption("--seed", 0)).withName(a.option("--name", null)).withRegister(a.option("--register", null))
                .withHosted(new JobSpec.Hosted(valid == null ? null : cwd.resolve(valid).toString(), a.option("--endpoint", null),
                        a.option("--suffix", null)));
    }

    /** A command job from the magic's options; paths are relative to the notebook's folder. */
    private static JobSpec commandSpec(MagicCall call, Args a, String command) throws MagicException {
        if (a.option("--task", null) != null) throw new MagicException("--command and --task exclude each other: a command job runs your trainer");
        Path cwd = call.context().workingDirectory();
        Path workdir = cwd.resolve(a.option("--workdir", "."));
        Map<String, String> env = new LinkedHashMap<>();
        for (String kv : a.all("--env")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new MagicException("--env " + kv + ": expected NAME=VALUE");
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        String gpus = a.option("--gpus", "auto");
        int n;
        try {
            n = gpus.equals("auto") ? -1 : Integer.parseInt(gpus);
        } catch (NumberFormatException e) {
            throw new MagicException("--gpus must be a number or auto, not '" + gpus + "'");
        }
        if (n < -1) throw new MagicException("--gpus must be 0 or more, not " + n);
        CommandSpec c = CommandSpec.of(command, workdir.toString()).withEnv(env).withData(a.all("--data"))
                .withProgressMetric(a.option("--progress-metric", null))
                .withNodes(a.intOption("--nodes", 1), a.intOption("--ntasks-per-node", 1))
                .withModelArtifact(a.option("--model-artifact", null));
        JobSpec s = JobSpec.command(command, workdir.toString()).withCommand(c)
                .withPlacement(a.option("--device", "auto"), a.option("--backend", "local"), n)
                .withName(a.option("--name", null)).withRegister(a.option("--register", null));
        return s.withTraining(0, 0, 0, a.intOption("--max-steps", 0), 0);
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
        String command = a.option("--command", null);
        if (command != null) return jobs.launch(commandSpec(call, a, command), "%finetune " + call.rawArgs());
        if (OpenAiBackend.NAME.equals(a.option("--backend", null))) return jobs.launch(hostedSpec(call, a), "%finetune " + call.rawArgs());
        String task = a.option("--task", null);
        if (task == null) throw new MagicException("--command \"CMD ARGS...\", --backend openai or --task classify|lm is required");
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
                .withSeed(a.intOption("--seed", (int) d.seed()))
                .withRegister(a.option("--register", null));
        String id = jobs.launch(s, "%finetune " + call.rawArgs());
        return id;
    }
}
