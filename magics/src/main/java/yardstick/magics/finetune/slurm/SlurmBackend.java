package yardstick.magics.finetune.slurm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import yardstick.magics.finetune.job.Backend;
import yardstick.magics.finetune.job.CommandJob;
import yardstick.magics.finetune.job.CommandSpec;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.job.LocalBackend;
import yardstick.magics.finetune.train.TrainerMain;

/**
 * Runs a job on a Slurm cluster: the spec becomes an {@code sbatch} script (with {@code --gres=gpu:N} when the job
 * asks for a GPU) that starts the same trainer on the job's folder, which must be on a file system the nodes share.
 * A command job's script runs its line once per task through {@code srun}, with the variables torchrun-style
 * trainers meet by ({@code MASTER_ADDR}, {@code MASTER_PORT}, {@code WORLD_SIZE}, {@code RANK}, ...), and records the
 * step's exit status in the job folder as {@link CommandJob} does everywhere.
 * Status comes from {@code squeue} while the job is queued or running and from {@code sacct} once it has ended,
 * cancelling is {@code scancel}, the log is the job's output file ({@code log.txt} in the job folder).
 */
public final class SlurmBackend implements Backend {
    public static final String SCRIPT = "job.sbatch";
    /**
     * How long sbatch may take to queue a job. With its controller down sbatch retries for Slurm's MessageTimeout
     * (10 s by default, often more on big clusters) before it says so; a notebook's cell should not wait longer.
     */
    public static final Duration SUBMIT_LIMIT = Duration.ofSeconds(10);
    /** Unless the job's --env sets MASTER_PORT: a port from the job id, unprivileged and below Linux's ephemeral range. */
    static final String DEFAULT_MASTER_PORT = "$((15000 + SLURM_JOB_ID % 15000))";
    private static final Pattern JOB_ID = Pattern.compile("(?m)^(\\d+)(;\\S*)?$");
    private static final Pattern EXIT_CODE = Pattern.compile("(\\d+):(\\d+)");
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);
    private final Path djlCache;
    private final Supplier<Map<String, String>> env;

    /** @param env extra environment for the Slurm commands (SLURM_CONF) */
    public SlurmBackend(Path djlCache, Map<String, String> env) {
        this(djlCache, () -> env);
    }

    /** @param env read at each command, so that a notebook's {@code %env SLURM_CONF=...} applies at once */
    public SlurmBackend(Path djlCache, Supplier<Map<String, String>> env) {
        this.djlCache = djlCache;
        this.env = env;
    }

    @Override
    public String name() {
        return "slurm";
    }

    /** The batch script that runs the trainer on a job folder. */
    public String script(JobSpec spec, Path dir) {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("#SBATCH --job-name=yardstick-").append(spec.id()).append('\n');
        s.append("#SBATCH --output=").append(dir.resolve("log.txt").toAbsolutePath()).append('\n');
        s.append("#SBATCH --open-mode=append\n");
        s.append("#SBATCH --chdir=").append(dir.toAbsolutePath()).append('\n');
        s.append("#SBATCH --ntasks=1\n");
        if ("gpu".equals(spec.device())) s.append("#SBATCH --gres=gpu:").append(Math.max(1, spec.gpus())).append('\n');
        s.append("export DJL_CACHE_DIR=").append(quote(djlCache.toAbsolutePath().toString())).append('\n');
        s.append("export DJL_OFFLINE=true\n");
        s.append("exec");
        for (String w : LocalBackend.command(dir)) s.append(' ').append(quote(w));
        s.append('\n');
        return s.toString();
    }

    /**
     * The batch script of a command job: {@code nodes} x {@code tasksPerNode} tasks, each running the line with its
     * own rank; the status of the whole {@code srun} step lands in {@link CommandJob#EXIT_FILE}. srun runs even one
     * task, so that every job meets the same variables, its tasks are one step Slurm accounts and signals, and one
     * failed rank ends the others ({@code --kill-on-bad-exit}) instead of leaving them waiting on it forever.
     */
    public String commandScript(JobSpec spec, Path dir, Map<String, String> env) {
        CommandSpec c = spec.command();
        Path job = dir.toAbsolutePath();
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("#SBATCH --job-name=yardstick-").append(spec.id()).append('\n');
        s.append("#SBATCH --output=").append(optionPath(job.resolve("log.txt"))).append('\n');
        s.append("#SBATCH --open-mode=append\n");
        s.append("#SBATCH --chdir=").append(optionPath(Path.of(c.workdir() == null ? "." : c.workdir()).toAbsolutePath()))
                .append('\n');
        s.append("#SBATCH --nodes=").append(c.nodes()).append('\n');
        s.append("#SBATCH --ntasks-per-node=").append(c.tasksPerNode()).append('\n');
        int gpus = gpusPerNode(spec);
        if (gpus > 0) s.append("#SBATCH --gres=gpu:").append(gpus).append('\n');
        // The run to log into and the job (MLflow's contract), then the job's own --env, which may override them.
        new TreeMap<>(env).forEach((k, v) -> export(s, k, v));
        new TreeMap<>(c.env()).forEach((k, v) -> export(s, k, v));
        s.append("# Where the tasks meet, as torchrun and torch.distributed read it; each task learns its rank from srun.\n");
        s.append("MASTER_ADDR=\"$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\"\n");
        s.append("export MASTER_ADDR=\"${MASTER_ADDR:-$(hostname)}\"\n");
        s.append("export MASTER_PORT=\"${MASTER_PORT:-").append(DEFAULT_MASTER_PORT).append("}\"\n");
        s.append("export WORLD_SIZE=\"$SLURM_NTASKS\"\n");
        s.append("export NNODES=\"$SLURM_JOB_NUM_NODES\"\n");
        s.append("export LOCAL_WORLD_SIZE=\"$SLURM_NTASKS_PER_NODE\"\n");
        s.append("# A cancelled job records no status (scancel's SIGTERM reaches this shell too), so it reads as killed.\n");
        s.append("trap 'exit 143' TERM\n");
        s.append("srun --kill-on-bad-exit=1 bash -c ").append(quote("export RANK=\"$SLURM_PROCID\" LOCAL_RANK=\"$SLURM_LOCALID\""
                + " NODE_RANK=\"$SLURM_NODEID\"; exec bash -c \"$1\"")).append(" yardstick-task ").append(quote(c.line()))
                .append('\n');
        Path exit = job.resolve(CommandJob.EXIT_FILE);
        Path tmp = job.resolve(CommandJob.EXIT_FILE + ".tmp");
        s.append("c=$?\n");
        s.append("printf '%d\\n' \"$c\" > ").append(quote(tmp.toString())).append(" && mv -f ").append(quote(tmp.toString()))
                .append(' ').append(quote(exit.toString())).append('\n');
        s.append("exit \"$c\"\n");
        return s.toString();
    }

    /** GPUs per node: as many as asked, one for {@code --device gpu} left at auto, none otherwise. */
    static int gpusPerNode(JobSpec spec) {
        if ("cpu".equals(spec.device())) return 0;
        if (spec.gpus() > 0) return spec.gpus();
        return spec.gpus() < 0 && "gpu".equals(spec.device()) ? 1 : 0;
    }

    private static void export(StringBuilder s, String name, String value) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new JobException("--env " + name + ": not a variable name");
        s.append("export ").append(name).append('=').append(quote(value == null ? "" : value)).append('\n');
    }

    /** A path in an {@code #SBATCH} line, which sbatch splits at blanks unless they are inside double quotes. */
    private static String optionPath(Path p) {
        String s = p.toString();
        if (s.contains("\"") || s.contains("\n")) throw new JobException("Slurm cannot take a path with a quote or a newline: " + s);
        return s.matches("[A-Za-z0-9_./+,:=@%-]+") ? s : '"' + s + '"';
    }

    @Override
    public JobRecord launch(JobRecord record, Path dir) {
        return launch(record, dir, Map.of());
    }

    @Override
    public JobRecord launch(JobRecord record, Path dir, Map<String, String> env) {
        JobSpec spec;
        Path script = dir.resolve(SCRIPT);
        try {
            spec = JobSpec.read(dir.resolve(TrainerMain.SPEC));
            if (spec.runsCommand()) {
                // It may hold MLflow's token or password: readable by its owner only.
                writePrivate(script, commandScript(spec, dir, env));
            } else {
                Files.writeString(script, script(spec, dir));
            }
        } catch (IOException e) {
            throw new JobException("cannot write the batch script: " + e.getMessage(), e);
        }
        return record.withSlurmId(submit(script, spec));
    }

    /** Queues the script and returns Slurm's job id, or says plainly why Slurm would not take it. */
    private String submit(Path script, JobSpec spec) {
        Result r = exec(SUBMIT_LIMIT, "sbatch", "--parsable", script.toString());
        String out = r.out().strip();
        if (r.timedOut()) {
            throw new JobException("Slurm's controller did not answer sbatch within " + SUBMIT_LIMIT.toSeconds()
                    + " s: is slurmctld running? " + slurmConf() + (out.isEmpty() ? "" : " (" + lastLine(out) + ")")
                    + "; if it queues the job after all, it is named yardstick-" + spec.id());
        }
        if (r.code() != 0) {
            if (out.contains("Unable to contact slurm controller") || out.contains("Connection refused")
                    || out.contains("Socket timed out") || out.contains("Zero Bytes were transmitted")) {
                throw new JobException("Slurm's controller is not answering (" + lastLine(out) + "): is slurmctld running? "
                        + slurmConf());
            }
            if (out.contains("Munge") || out.contains("munge")) {
                throw new JobException("Slurm cannot authenticate this machine (" + lastLine(out)
                        + "): is munged running here, with the cluster's key?");
            }
            throw new JobException("sbatch refused the job: " + out);
        }
        Matcher m = JOB_ID.matcher(out);
        if (!m.find()) throw new JobException("sbatch answered '" + out + "', not a job id");
        return m.group(1);
    }

    /** Where Slurm's commands look for the cluster, for a message. */
    private String slurmConf() {
        String conf = env.get().get("SLURM_CONF");
        if (conf == null || conf.isBlank()) conf = System.getenv("SLURM_CONF");
        return conf == null || conf.isBlank() ? "SLURM_CONF is not set (Slurm reads /etc/slurm/slurm.conf)"
                : "SLURM_CONF=" + conf;
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try (WritableByteChannel ch = Files.newByteChannel(file, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            Channels.newOutputStream(ch).write(text.getBytes(StandardCharsets.UTF_8));
        } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
            Files.writeString(file, text);
        }
    }

    /** The job's state in the queue (PENDING, RUNNING, COMPLETING, ...), or null once it has left it. */
    public String queueState(JobRecord r) {
        if (r.slurmId() == null) return null;
        Result res = exec("squeue", "-h", "-j", r.slurmId(), "-o", "%T");
        // A job that ended a while ago is purged from the controller: squeue then calls its id invalid.
        if (res.code() != 0 && res.out().contains("Invalid job id")) return null;
        String s = res.check("squeue").strip();
        return s.isEmpty() ? null : s;
    }

    /**
     * How the job ended as accounting recorded it (COMPLETED, CANCELLED, FAILED, TIMEOUT, ...), or null when it has no
     * record yet. Reads the accounting database, or the job-completion file where a cluster keeps no database.
     */
    public String accountingState(JobRecord r) {
        String[] f = accounting(r);
        // "CANCELLED by 0": the state is the first word.
        return f == null ? null : f[0].split("\\s+")[0];
    }

    /**
     * The exit status accounting recorded for a job that ended by itself (COMPLETED or FAILED: the batch script's, so
     * the srun step's), the shell's 128+n for a signal; empty for a job cancelled, timed out or not yet recorded. For
     * when the job folder's {@link CommandJob#EXIT_FILE} cannot be seen, as a shared file system's cache may hide it.
     */
    @Override
    public OptionalInt exitCode(JobRecord r) {
        return accountingExitCode(r);
    }

    public OptionalInt accountingExitCode(JobRecord r) {
        String[] f = accounting(r);
        if (f == null || f.length < 2 || !(f[0].equals("COMPLETED") || f[0].equals("FAILED"))) return OptionalInt.empty();
        Matcher m = EXIT_CODE.matcher(f[1].strip());
        if (!m.matches()) return OptionalInt.empty();
        int signal = Integer.parseInt(m.group(2));
        return OptionalInt.of(signal != 0 ? 128 + signal : Integer.parseInt(m.group(1)));
    }

    /** The job's last accounting line as State and ExitCode ("3:0", status and signal), or null when it has none. */
    private String[] accounting(JobRecord r) {
        if (r.slurmId() == null) return null;
        Result db = exec("sacct", "-n", "-P", "-X", "-o", "State,ExitCode", "-j", r.slurmId());
        String out = db.code() == 0 && !db.out().contains("accounting storage is disabled") ? db.out()
                : exec("sacct", "-c", "-n", "-P", "-o", "State,ExitCode", "-j", r.slurmId()).check("sacct -c");
        String last = null;
        for (String line : out.strip().split("\n")) {
            if (!line.isBlank()) last = line.strip();
        }
        return last == null ? null : last.split("\\|");
    }

    @Override
    public boolean alive(JobRecord r) {
        String s = queueState(r);
        return s != null && !s.equals("COMPLETED") && !s.equals("CANCELLED") && !s.equals("FAILED");
    }

    @Override
    public void cancel(JobRecord r) {
        if (r.slurmId() == null) return;
        run("scancel", r.slurmId());
        if (waitGone(r, 3)) return;
        // The trainer got SIGTERM; Slurm only follows with SIGKILL after KillWait (30 s by default): do it now.
        exec("scancel", "--full", "--signal=KILL", r.slurmId());
        if (!waitGone(r, 2)) throw new JobException("Slurm job " + r.slurmId() + " did not stop within 5 s");
    }

    private boolean waitGone(JobRecord r, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (alive(r)) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return true;
    }

    private String run(String... cmd) {
        return exec(COMMAND_LIMIT, cmd).check(cmd[0]);
    }

    private Result exec(String... cmd) {
        return exec(COMMAND_LIMIT, cmd);
    }

    private record Result(int code, String out, boolean timedOut) {
        String check(String what) {
            if (timedOut) throw new JobException(what + " did not answer within " + COMMAND_LIMIT.toSeconds() + " s");
            if (code != 0) throw new JobException(what + " failed: " + out.strip());
            return out;
        }
    }

    /** Runs a Slurm command, its output read beside it so that the time limit holds even while it prints nothing. */
    private Result exec(Duration limit, String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env.get());
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()),
                    r -> Thread.ofVirtual().start(r));
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
                return new Result(-1, output(out), true);
            }
            return new Result(p.exitValue(), output(out), false);
        } catch (IOException e) {
            throw new JobException(cmd[0] + " is not available (" + e.getMessage() + "): is this a Slurm login node?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobException("interrupted while running " + cmd[0], e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the command printed; a process that left a child holding its output gives what came within a second. */
    private static String output(CompletableFuture<String> out) throws InterruptedException {
        try {
            return out.get(1, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "";
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
