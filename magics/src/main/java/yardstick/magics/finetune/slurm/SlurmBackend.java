package yardstick.magics.finetune.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import yardstick.magics.finetune.job.Backend;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.job.LocalBackend;
import yardstick.magics.finetune.train.TrainerMain;

/**
 * Runs a job on a Slurm cluster: the spec becomes an {@code sbatch} script (with {@code --gres=gpu:N} when the job
 * asks for a GPU) that starts the same trainer on the job's folder, which must be on a file system the nodes share.
 * Status comes from {@code squeue} while the job is queued or running and from {@code sacct} once it has ended,
 * cancelling is {@code scancel}, the log is the job's output file ({@code log.txt} in the job folder).
 */
public final class SlurmBackend implements Backend {
    public static final String SCRIPT = "job.sbatch";
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

    /** The batch script for a job folder. */
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

    @Override
    public JobRecord launch(JobRecord record, Path dir) {
        JobSpec spec;
        try {
            spec = JobSpec.read(dir.resolve(TrainerMain.SPEC));
            Files.writeString(dir.resolve(SCRIPT), script(spec, dir));
        } catch (IOException e) {
            throw new JobException("cannot write the batch script: " + e.getMessage(), e);
        }
        String out = run("sbatch", "--parsable", dir.resolve(SCRIPT).toString()).strip();
        String jobId = out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
        if (!jobId.matches("\\d+")) throw new JobException("sbatch answered '" + out + "', not a job id");
        return record.withSlurmId(jobId);
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
        if (r.slurmId() == null) return null;
        Result db = exec("sacct", "-n", "-P", "-X", "-o", "State", "-j", r.slurmId());
        String out = db.code() == 0 && !db.out().contains("accounting storage is disabled") ? db.out()
                : exec("sacct", "-c", "-n", "-P", "-o", "State", "-j", r.slurmId()).check("sacct -c");
        String last = null;
        for (String line : out.strip().split("\n")) {
            if (!line.isBlank()) last = line.strip();
        }
        // "CANCELLED by 0": the state is the first word.
        return last == null ? null : last.split("\\s+")[0];
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
        return exec(cmd).check(cmd[0]);
    }

    private record Result(int code, String out) {
        String check(String what) {
            if (code != 0) throw new JobException(what + " failed: " + out.strip());
            return out;
        }
    }

    private Result exec(String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env.get());
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new JobException(cmd[0] + " did not answer within 30 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new JobException(cmd[0] + " is not available (" + e.getMessage() + "): is this a Slurm login node?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobException("interrupted while running " + cmd[0], e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
