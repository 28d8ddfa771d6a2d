package yardstick.magics.finetune.gpu;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import yardstick.magics.finetune.gpu.GpuLedger.Change;
import yardstick.magics.finetune.gpu.GpuLedger.Holding;
import yardstick.magics.finetune.gpu.GpuLedger.State;
import yardstick.magics.finetune.gpu.GpuLedger.Waiter;

/**
 * Hands this machine's GPUs to local jobs: a job asks for {@code n}, gets the lowest free indices, or waits in line.
 * The line is first come, first served and strict: while the first job waits for two GPUs, a later job that wants
 * one does not overtake it, so a large job is never starved by small ones.
 *
 * <p>Holdings and the line live in {@code gpus.json} in the jobs folder, shared by every kernel on the machine and
 * surviving their restarts. A holder whose job has ended (the liveness check says so, after a grace period for the
 * launch) loses its GPUs; a waiter that nobody has asked for within {@code queueTimeout} leaves the line.
 */
public final class GpuScheduler {
    /** The ledger's file name in the jobs folder. */
    public static final String FILE = "gpus.json";
    static final Duration LAUNCH_GRACE = Duration.ofSeconds(60), QUEUE_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_MS = 1000;
    private final GpuList gpus;
    private final GpuLedger ledger;
    private final Predicate<String> alive;
    private final long graceMs, queueTimeoutMs;
    private final Object released = new Object();

    /**
     * @param gpus the GPUs found ({@code Gpus.onPath().list()})
     * @param jobsDir the jobs folder; the ledger is {@code jobsDir/gpus.json}
     * @param alive whether a job's process still runs, by job id
     */
    public GpuScheduler(GpuList gpus, Path jobsDir, Predicate<String> alive) {
        this(gpus, jobsDir, alive, LAUNCH_GRACE, QUEUE_TIMEOUT);
    }

    /**
     * @param launchGrace how long a new holder keeps its GPUs before the liveness check applies (its process may
     *     not have started yet)
     * @param queueTimeout how long a waiter stays in line without asking again ({@link #tryAcquire})
     */
    public GpuScheduler(GpuList gpus, Path jobsDir, Predicate<String> alive, Duration launchGrace, Duration queueTimeout) {
        this.gpus = gpus;
        this.ledger = new GpuLedger(jobsDir.resolve(FILE));
        this.alive = alive;
        this.graceMs = launchGrace.toMillis();
        this.queueTimeoutMs = queueTimeout.toMillis();
    }

    public GpuList gpus() {
        return gpus;
    }

    /**
     * The GPUs the job holds now: already held, or taken now because it is first in line and {@code n} are free;
     * otherwise the job keeps (or takes) its place in line and this returns empty. A caller that waits must ask
     * again within the queue timeout (60 s) to keep its place.
     *
     * @throws GpuException at once when the machine has fewer than {@code n} GPUs
     */
    public Optional<List<Integer>> tryAcquire(String jobId, int n) {
        check(jobId, n);
        return ledger.update(s -> {
            long now = System.currentTimeMillis();
            State pruned = prune(s, now, jobId);
            Optional<Holding> held = pruned.holdings().stream().filter(h -> h.job().equals(jobId)).findFirst();
            if (held.isPresent()) return new Change<>(pruned, Optional.of(held.get().gpus()));
            List<Waiter> queue = new ArrayList<>();
            boolean inLine = false;
            for (Waiter w : pruned.queue()) {
                if (w.job().equals(jobId)) {
                    queue.add(new Waiter(jobId, n, w.since(), now));
                    inLine = true;
                } else {
                    queue.add(w);
                }
            }
            if (!inLine) queue.add(new Waiter(jobId, n, now, now));
            List<Integer> free = free(pruned);
            if (queue.get(0).job().equals(jobId) && free.size() >= n) {
                List<Integer> taken = List.copyOf(free.subList(0, n));
                List<Holding> holdings = new ArrayList<>(pruned.holdings());
                holdings.add(new Holding(jobId, taken, now));
                return new Change<>(new State(holdings, queue.subList(1, queue.size())), Optional.of(taken));
            }
            return new Change<>(new State(pruned.holdings(), queue), Optional.empty());
        });
    }

    /**
     * The GPUs for the job, waiting in line until it is first and {@code n} are free. An interrupt takes the job out
     * of the line and ends the wait.
     *
     * @throws GpuException at once when the machine has fewer than {@code n} GPUs
     */
    public List<Integer> acquire(String jobId, int n) throws InterruptedException {
        try {
            while (true) {
                Optional<List<Integer>> got = tryAcquire(jobId, n);
                if (got.isPresent()) return got.get();
                // Another kernel's release shows only in the file: wake on a release here, else look again soon.
                synchronized (released) {
                    released.wait(POLL_MS);
                }
            }
        } catch (InterruptedException e) {
            release(jobId);
            throw e;
        }
    }

    /** Frees the job's GPUs and takes it out of the line; nothing happens for a job that has neither. */
    public void release(String jobId) {
        ledger.update(s -> new Change<>(new State(
                s.holdings().stream().filter(h -> !h.job().equals(jobId)).toList(),
                s.queue().stream().filter(w -> !w.job().equals(jobId)).toList()), null));
        synchronized (released) {
            released.notifyAll();
        }
    }

    /** Which job holds each GPU that is held, by physical index (holders that have ended are dropped first). */
    public Map<Integer, String> holders() {
        return ledger.update(s -> {
            State pruned = prune(s, System.currentTimeMillis(), null);
            return new Change<>(pruned, holdersOf(pruned));
        });
    }

    /** The jobs waiting for GPUs, first in line first. */
    public List<String> queue() {
        return ledger.update(s -> {
            State pruned = prune(s, System.currentTimeMillis(), null);
            return new Change<>(pruned, pruned.queue().stream().map(Waiter::job).toList());
        });
    }

    /** Which job holds each GPU as the ledger in {@code jobsDir} last recorded it, read without changing it. */
    public static Map<Integer, String> recordedHolders(Path jobsDir) {
        return holdersOf(new GpuLedger(jobsDir.resolve(FILE)).read());
    }

    /** The value of {@code CUDA_VISIBLE_DEVICES} that shows a job exactly these GPUs: "0,2". */
    public static String cudaVisibleDevices(List<Integer> indices) {
        return indices.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private void check(String jobId, int n) {
        if (jobId == null || jobId.isBlank()) throw new IllegalArgumentException("a GPU request needs a job id");
        if (n < 1) throw new GpuException("--gpus " + n + " must be at least 1");
        if (n > gpus.size()) {
            throw new GpuException("--gpus " + n + " asked for " + n + (n == 1 ? " GPU" : " GPUs") + "; this machine has "
                    + gpus.describe());
        }
    }

    private static Map<Integer, String> holdersOf(State s) {
        Map<Integer, String> out = new TreeMap<>();
        for (Holding h : s.holdings()) {
            for (int g : h.gpus()) out.put(g, h.job());
        }
        return out;
    }

    private List<Integer> free(State s) {
        TreeSet<Integer> free = new TreeSet<>();
        for (Gpu g : gpus.gpus()) free.add(g.index());
        for (Holding h : s.holdings()) h.gpus().forEach(free::remove);
        return new ArrayList<>(free);
    }

    /** Drops holders whose job has ended and waiters nobody asks for; {@code asking} is asking right now. */
    private State prune(State s, long now, String asking) {
        List<Holding> holdings = s.holdings().stream()
                .filter(h -> h.job().equals(asking) || now - h.since() < graceMs || alive.test(h.job())).toList();
        List<Waiter> queue = s.queue().stream()
                .filter(w -> w.job().equals(asking) || now - w.polled() < queueTimeoutMs).toList();
        return new State(holdings, queue);
    }
}
