package yardstick.magics.finetune.gpu;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import yardstick.magics.YardstickHome;

/**
 * Samples the machine while a job runs, as MLflow's system metrics do: every interval (10 s unless
 * {@code MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL} says otherwise) the CPU and memory from {@code /proc} and, for the
 * job's GPUs only, utilization and memory from nvidia-smi, under MLflow's names ({@code system/gpu_0_…} by physical
 * index), step = sample number from 0. Each value goes to a {@link Sink}. Sampling runs on a daemon thread and never
 * throws into the job: a failed sample is skipped, a failing sink is ignored for that value.
 */
public final class SystemMetrics implements AutoCloseable {
    /** MLflow's default sampling interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final String PREFIX = "system/";
    public static final String CPU = PREFIX + "cpu_utilization_percentage",
            MEMORY_MB = PREFIX + "system_memory_usage_megabytes",
            MEMORY_PERCENT = PREFIX + "system_memory_usage_percentage";

    /** Where each sampled value goes: typically the job run's {@code logMetric}. */
    @FunctionalInterface
    public interface Sink {
        void log(String key, double value, long step, long timestampMs) throws Exception;
    }

    private final Gpus gpus;
    private final List<Integer> gpuIndices;
    private final Duration interval;
    private final Sink sink;
    private final HostStats host;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private HostStats.CpuTimes lastCpu;
    private long step;
    private Thread thread;

    /**
     * @param gpus how to ask nvidia-smi
     * @param gpuIndices the job's GPUs by physical index (empty: CPU and memory only)
     */
    public SystemMetrics(Gpus gpus, List<Integer> gpuIndices, Duration interval, Sink sink) {
        this(gpus, gpuIndices, interval, sink, Path.of("/proc"));
    }

    SystemMetrics(Gpus gpus, List<Integer> gpuIndices, Duration interval, Sink sink, Path proc) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("the sampling interval must be positive");
        this.gpus = gpus;
        this.gpuIndices = List.copyOf(gpuIndices);
        this.interval = interval;
        this.sink = sink;
        this.host = new HostStats(proc);
        baseline();
    }

    /** A sampler for a job on these GPUs: nvidia-smi from the PATH, MLflow's interval (its variable, else 10 s). */
    public static SystemMetrics forJob(List<Integer> gpuIndices, Sink sink) {
        return new SystemMetrics(Gpus.onPath(), gpuIndices, interval(YardstickHome.env("MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL")), sink);
    }

    /** MLflow's sampling interval variable, in seconds (a decimal allowed); the default when unset or unreadable. */
    static Duration interval(String seconds) {
        if (seconds == null) return DEFAULT_INTERVAL;
        try {
            double s = Double.parseDouble(seconds.strip());
            return s > 0 ? Duration.ofMillis(Math.round(s * 1000)) : DEFAULT_INTERVAL;
        } catch (NumberFormatException e) {
            return DEFAULT_INTERVAL;
        }
    }

    /** Starts sampling; the first values come one interval from now, as step 0. */
    public synchronized SystemMetrics start() {
        if (thread != null) return this;
        baseline(); // the first step's CPU share covers its own interval, not the time since construction
        thread = Thread.ofPlatform().daemon().name("yardstick-system-metrics").start(this::loop);
        return this;
    }

    /** Stops sampling and waits (a few seconds at most) for a sample in progress to be delivered. */
    public void stop() {
        stopped.countDown();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) return;
        try {
            t.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void loop() {
        try {
            while (!stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                long now = System.currentTimeMillis();
                long n;
                Map<String, Double> values;
                synchronized (this) {
                    values = sample();
                    n = step++;
                }
                for (Map.Entry<String, Double> e : values.entrySet()) {
                    try {
                        sink.log(e.getKey(), e.getValue(), n, now);
                    } catch (Exception | LinkageError ignored) {
                        // The run may be gone or the tracker down: the job goes on without this value.
                    }
                }
            }
        } catch (InterruptedException e) {
            // Stopped.
        }
    }

    private void baseline() {
        try {
            lastCpu = host.cpu();
        } catch (Exception e) {
            lastCpu = null;
        }
    }

    /**
     * Takes one sample now: CPU use since the previous sample (or since construction), memory, and each of the job's
     * GPUs that nvidia-smi reports; whatever cannot be read is left out.
     */
    synchronized Map<String, Double> sample() {
        Map<String, Double> out = new LinkedHashMap<>();
        try {
            HostStats.CpuTimes cpu = host.cpu();
            if (lastCpu != null) out.put(CPU, HostStats.cpuPercent(lastCpu, cpu));
            lastCpu = cpu;
        } catch (Exception e) {
            // No /proc/stat (not Linux): no CPU metric.
        }
        try {
            HostStats.Memory m = host.memory();
            out.put(MEMORY_MB, round(m.usedBytes() / 1e6));
            out.put(MEMORY_PERCENT, round(m.usedBytes() * 100.0 / m.totalBytes()));
        } catch (Exception e) {
            // No /proc/meminfo: no memory metrics.
        }
        if (!gpuIndices.isEmpty()) {
            try {
                for (Gpu g : gpus.list().gpus()) {
                    if (gpuIndices.contains(g.index())) gpuValues(g, out);
                }
            } catch (RuntimeException e) {
                // nvidia-smi misbehaved: no GPU values this time.
            }
        }
        return out;
    }

    /** MLflow's three GPU names; its megabytes are 10^6 bytes, nvidia-smi's are MiB. */
    static void gpuValues(Gpu g, Map<String, Double> out) {
        String p = PREFIX + "gpu_" + g.index() + "_";
        if (g.utilizationPercent() != Gpu.UNKNOWN) out.put(p + "utilization_percentage", (double) g.utilizationPercent());
        if (g.memoryUsedMib() != Gpu.UNKNOWN) {
            out.put(p + "memory_usage_megabytes", round(g.memoryUsedMib() * 1048576.0 / 1e6));
            if (g.memoryTotalMib() > 0) out.put(p + "memory_usage_percentage", round(g.memoryUsedMib() * 100.0 / g.memoryTotalMib()));
        }
    }

    /** MLflow logs each value rounded to one decimal. */
    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
