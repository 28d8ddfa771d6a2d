package yardstick.magics.finetune;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import yardstick.magics.finetune.gpu.GpuScheduler;
import yardstick.magics.finetune.gpu.Gpus;
import yardstick.magics.finetune.gpu.SystemMetrics;
import yardstick.magics.finetune.job.JobValidator;
import yardstick.magics.track.TrackedRun;

/**
 * This machine's GPUs as local command jobs share them: found once with {@code nvidia-smi}, handed out by a
 * {@link GpuScheduler} whose ledger sits in the jobs folder (so holdings outlive a kernel), and sampled into the
 * runs of the jobs holding them.
 */
final class GpuPool implements JobValidator.GpuCount {
    private final Path jobs;
    private final Predicate<String> alive;
    private final Map<String, Thread> waiting = new ConcurrentHashMap<>();
    private volatile GpuScheduler scheduler;

    GpuPool(Path jobs, Predicate<String> alive) {
        this.jobs = jobs;
        this.alive = alive;
    }

    private GpuScheduler scheduler() {
        GpuScheduler s = scheduler;
        if (s == null) {
            synchronized (this) {
                if (scheduler == null) scheduler = new GpuScheduler(Gpus.onPath().list(), jobs, alive);
                s = scheduler;
            }
        }
        return s;
    }

    @Override
    public int count() {
        return scheduler().gpus().size();
    }

    @Override
    public String describe() {
        return scheduler().gpus().describe();
    }

    /** The GPUs now, or null when the job must wait for them. */
    List<Integer> tryAcquire(String job, int n) {
        return scheduler().tryAcquire(job, n).orElse(null);
    }

    /** Waits in line for the GPUs; {@link #cancel} ends the wait with an interrupt. */
    List<Integer> acquire(String job, int n) throws InterruptedException {
        waiting.put(job, Thread.currentThread());
        try {
            return scheduler().acquire(job, n);
        } finally {
            waiting.remove(job);
        }
    }

    /** Takes a queued job out of the line. */
    void cancel(String job) {
        Thread t = waiting.get(job);
        if (t != null) t.interrupt();
    }

    void release(String job) {
        scheduler().release(job);
    }

    static String visibleDevices(List<Integer> gpus) {
        return GpuScheduler.cudaVisibleDevices(gpus);
    }

    /** Samples the job's GPUs, CPU and memory into its run, with MLflow's system-metric names, until stopped. */
    static SystemMetrics sample(List<Integer> gpus, TrackedRun run) {
        return SystemMetrics.forJob(gpus, (key, value, step, ts) -> run.metric(key, value, step)).start();
    }
}
