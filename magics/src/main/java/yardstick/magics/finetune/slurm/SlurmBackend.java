package yardstick.magics.finetune.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import yardstick.magics.finetune.job.Backend;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.job.LocalBackend;
import yardstick.magics.finetune.train.TrainerMain;

/**
 * Runs a job on a Slurm cluster: the spec becomes an {@code sbatch} script (with {@code --gres=gpu:N} when the job
 * asks for a GPU) that starts the same trainer on the job's folder, which must be on a file system the nodes share.
 * Status comes from {@code squeue}, cancelling is {@code scancel}, the log is the job's output file.
 */
public final class SlurmBackend implements Backend {
    public static final String SCRIPT = "job.sbatch";
    private final Path djlCache;
    private final Map<String, String> env;

    /** @param env extra environment for the Slurm commands (SLURM_CONF) */
    public SlurmBackend(Path djlCache, Map<String, String> env) {
        this.djlCache = djlCache;
        this.env = Map.copyOf(env);
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

    /** The job's state in the queue (PENDING, RUNNING, ...), or null once it has left it. */
    public String queueState(JobRecord r) {
        if (r.slurmId() == null) return null;
        String s = run("squeue", "-h", "-j", r.slurmId(), "-o", "%T").strip();
        return s.isEmpty() ? null : s;
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (alive(r)) {
            if (System.nanoTime() > deadline) throw new JobException("Slurm job " + r.slurmId() + " did not stop within 5 s");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String run(String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new JobException(cmd[0] + " did not answer within 30 s");
            }
            if (p.exitValue() != 0) throw new JobException(cmd[0] + " failed: " + out.strip());
            return out;
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
