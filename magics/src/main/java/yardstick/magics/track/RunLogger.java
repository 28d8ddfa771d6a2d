package yardstick.magics.track;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends log records to the tracker from one background thread, so a cell never waits on it: records queue in
 * memory, consecutive metrics, params and tags of a run go out as one log-batch call, and while the tracker is
 * unreachable records go to a spool file on disk, replayed in order once it answers again. Warnings are collected
 * for the notebook to print (once per outage), never printed from this thread, whose output has no cell.
 */
final class RunLogger implements AutoCloseable {
    static final int MAX_METRICS = 1000, MAX_PARAMS = 100, MAX_TAGS = 100;

    private final TrackerBackend backend;
    private final String trackerName;
    private final Path spoolDir;
    private final Spool spool;
    private final LinkedBlockingQueue<LogOp> queue = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<TrackerBackend.Created>> runs = new ConcurrentHashMap<>();
    private final Set<String> boundInSpool = new HashSet<>();
    private final ConcurrentLinkedQueue<String> warnings = new ConcurrentLinkedQueue<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private final Object progress = new Object();
    private final Duration retryMin;
    private final Duration retryMax;
    private final Thread worker;
    private volatile boolean offline;
    private volatile boolean closing;
    private boolean warnedOffline;
    private int rejections;

    RunLogger(TrackerBackend backend, String trackerName, Path spoolDir, Duration retryMin, Duration retryMax) {
        this.backend = backend;
        this.trackerName = trackerName;
        this.spoolDir = spoolDir;
        this.spool = Spool.tryOpen(spoolDir.resolve(UUID.randomUUID() + ".jsonl"));
        this.retryMin = retryMin;
        this.retryMax = retryMax;
        this.worker = Thread.ofPlatform().daemon().name("yardstick-run-logger").inheritInheritableThreadLocals(false)
                .unstarted(this::work);
        worker.start();
    }

    /** Queues a record; never blocks. */
    void submit(LogOp op) {
        submitted.incrementAndGet();
        queue.add(op);
    }

    /** The tracker's id for a local run id, waiting up to {@code wait} for the run to be created. */
    TrackerBackend.Created created(String localRun, Duration wait) throws TimeoutException {
        try {
            return future(localRun).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private CompletableFuture<TrackerBackend.Created> future(String localRun) {
        return runs.computeIfAbsent(localRun, k -> new CompletableFuture<>());
    }

    /**
     * Waits up to {@code max} until everything submitted so far is at the tracker or in the spool; true when it
     * all reached the tracker.
     */
    boolean flush(Duration max) {
        long target = submitted.get();
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (progress) {
            while (handled.get() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, Math.min(left, 50_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !offline;
    }

    boolean offline() {
        return offline;
    }

    /** Warnings gathered since the last call, for the notebook to print. */
    List<String> takeWarnings() {
        List<String> out = new ArrayList<>();
        String w;
        while ((w = warnings.poll()) != null) out.add(w);
        return out;
    }

    private void handledAdd(long n) {
        handled.addAndGet(n);
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private void work() {
        replayOrphans();
        Duration backoff = retryMin;
        long nextTry = 0;
        while (true) {
            try {
                if (offline) {
                    List<LogOp> pending = new ArrayList<>();
                    queue.drainTo(pending);
                    if (!pending.isEmpty()) {
                        spool.append(withBinds(pending));
                        handledAdd(pending.size());
                    }
                    if (System.nanoTime() >= nextTry) {
                        if (replay(spool)) {
                            offline = false;
                            backoff = retryMin;
                            warnings.add("Yardstick: the tracker at " + trackerName + " is back; buffered runs were sent.");
                            replayOrphans();
                            continue;
                        }
                        backoff = backoff.multipliedBy(2).compareTo(retryMax) > 0 ? retryMax : backoff.multipliedBy(2);
                        nextTry = System.nanoTime() + backoff.toNanos();
                    }
                    if (closing && queue.isEmpty()) return;
                    LogOp next = queue.poll(50, TimeUnit.MILLISECONDS);
                    if (next != null) {
                        spool.append(withBinds(List.of(next)));
                        handledAdd(1);
                    }
                    continue;
                }
                LogOp first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) return;
                    continue;
                }
                List<LogOp> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, 20_000);
                int applied = apply(batch);
                if (applied < batch.size()) {
                    List<LogOp> rest = batch.subList(applied, batch.size());
                    spool.append(withBinds(rest));
                    offline = true;
                    nextTry = System.nanoTime() + retryMin.toNanos();
                    backoff = retryMin;
                }
                handledAdd(batch.size());
            } catch (InterruptedException e) {
                if (closing) return;
            } catch (RuntimeException e) {
                warnings.add("Yardstick: logging to the tracker failed: " + e.getMessage());
            }
        }
    }

    /** Sends a spool's records; true when all went through (the spool is then empty). */
    private boolean replay(Spool s) {
        List<LogOp> ops = s.read();
        if (ops.isEmpty()) return true;
        int applied = apply(ops);
        if (applied == ops.size()) {
            s.rewrite(List.of());
            synchronized (boundInSpool) {
                if (s == spool) boundInSpool.clear();
            }
            return true;
        }
        Set<String> saved = new HashSet<>();
        s.rewrite(withBinds(ops.subList(applied, ops.size()), saved));
        if (s == spool) {
            boundInSpool.clear();
            boundInSpool.addAll(saved);
        }
        return false;
    }

    private void replayOrphans() {
        for (Spool orphan : Spool.orphans(spoolDir, spool.file())) {
            try {
                replay(orphan);
            } finally {
                orphan.close();
            }
        }
    }

    private List<LogOp> withBinds(List<LogOp> ops) {
        return withBinds(ops, boundInSpool);
    }

    /** Prefixes records with the tracker ids of runs already created, so the spool can be replayed by any session. */
    private List<LogOp> withBinds(List<LogOp> ops, Set<String> bound) {
        Set<String> needed = new LinkedHashSet<>();
        for (LogOp op : ops) {
            needed.add(op.run());
            if (op instanceof LogOp.CreateRun c && c.parent() != null) needed.add(c.parent());
        }
        List<LogOp> out = new ArrayList<>();
        for (String run : needed) {
            CompletableFuture<TrackerBackend.Created> f = runs.get(run);
            if (f != null && f.isDone() && !f.isCompletedExceptionally() && bound.add(run)) {
                TrackerBackend.Created c = f.join();
                out.add(new LogOp.Bind(run, c.id(), c.artifactUri()));
            }
        }
        out.addAll(ops);
        return out;
    }

    /**
     * Sends records in order and returns how many went through: all of them, or the index of the first that met an
     * unreachable tracker. Records the tracker refuses are dropped with a warning.
     */
    private int apply(List<LogOp> ops) {
        int i = 0;
        while (i < ops.size()) {
            LogOp op = ops.get(i);
            int end = i + 1;
            try {
                switch (op) {
                    case LogOp.Bind b -> future(b.run()).complete(new TrackerBackend.Created(b.trackerId(), b.artifactUri()));
                    case LogOp.CreateRun c -> create(c);
                    case LogOp.Metric m -> end = batch(ops, i);
                    case LogOp.Param p -> end = batch(ops, i);
                    case LogOp.Tag t -> end = batch(ops, i);
                    case LogOp.Input in -> {
                        String id = id(in.run());
                        if (id != null) backend.logInput(id, in);
                    }
                    case LogOp.Artifact a -> upload(a);
                    case LogOp.EndRun e -> {
                        String id = id(e.run());
                        if (id != null) backend.endRun(id, e.status(), e.endTime());
                    }
                }
            } catch (TrackerBackend.Unreachable u) {
                if (!warnedOffline) {
                    warnedOffline = true;
                    warnings.add("Yardstick: the tracker at " + trackerName + " is unreachable (" + u.getMessage()
                            + "); runs are kept in " + spool.file() + " and sent when it is back. Cells are not slowed.");
                }
                return i;
            } catch (RuntimeException | IOException e) {
                if (rejections++ < 5) {
                    warnings.add("Yardstick: the tracker refused " + describe(op) + ": " + e.getMessage());
                }
                if (op instanceof LogOp.CreateRun c) future(c.run()).completeExceptionally(e);
            }
            i = end;
        }
        return ops.size();
    }

    private void create(LogOp.CreateRun c) throws TrackerBackend.Unreachable {
        CompletableFuture<TrackerBackend.Created> f = future(c.run());
        if (f.isDone()) return; // replayed after it already went through
        Map<String, String> tags = new HashMap<>(c.tags());
        if (c.parent() != null) {
            String parent = id(c.parent());
            if (parent != null) tags.put("mlflow.parentRunId", parent);
        }
        f.complete(backend.createRun(c.experiment(), c.name(), c.startTime(), tags));
    }

    /** Sends consecutive metrics, params and tags of one run as one call; returns the index after them. */
    private int batch(List<LogOp> ops, int start) throws TrackerBackend.Unreachable {
        String run = ops.get(start).run();
        List<LogOp.Metric> metrics = new ArrayList<>();
        List<LogOp.Param> params = new ArrayList<>();
        List<LogOp.Tag> tags = new ArrayList<>();
        int i = start;
        while (i < ops.size() && ops.get(i).run().equals(run) && metrics.size() < MAX_METRICS
                && params.size() < MAX_PARAMS && tags.size() < MAX_TAGS
                && metrics.size() + params.size() + tags.size() < MAX_METRICS) {
            LogOp op = ops.get(i);
            if (op instanceof LogOp.Metric m) metrics.add(m);
            else if (op instanceof LogOp.Param p) params.add(p);
            else if (op instanceof LogOp.Tag t) tags.add(t);
            else break;
            i++;
        }
        String id = id(run);
        if (id != null) backend.logBatch(id, metrics, params, tags);
        return i;
    }

    private void upload(LogOp.Artifact a) throws TrackerBackend.Unreachable, IOException {
        Path file = Path.of(a.file());
        if (!Files.exists(file)) return; // uploaded before a replay
        CompletableFuture<TrackerBackend.Created> f = runs.get(a.run());
        String id = id(a.run());
        if (id == null) return;
        String artifactUri = f.join().artifactUri();
        if (artifactUri == null || artifactUri.isEmpty()) artifactUri = backend.artifactUri(id);
        backend.uploadArtifact(id, artifactUri, file, a.path());
        deleteCopy(file);
    }

    private void deleteCopy(Path file) {
        try {
            Files.deleteIfExists(file);
            Path dir = file.getParent();
            if (dir != null && dir.startsWith(spoolDir)) {
                try (var s = Files.list(dir)) {
                    if (s.findAny().isEmpty()) Files.delete(dir);
                }
            }
        } catch (IOException e) {
            // A leftover copy costs disk space only.
        }
    }

    /** The tracker id of a local run; null when its creation was refused (its records are then dropped). */
    private String id(String localRun) {
        CompletableFuture<TrackerBackend.Created> f = future(localRun);
        if (!f.isDone()) return null;
        if (f.isCompletedExceptionally()) return null;
        return f.join().id();
    }

    private static String describe(LogOp op) {
        return switch (op) {
            case LogOp.CreateRun c -> "a new run '" + c.name() + "'";
            case LogOp.Metric m -> "metric '" + m.key() + "'";
            case LogOp.Param p -> "param '" + p.key() + "'";
            case LogOp.Tag t -> "tag '" + t.key() + "'";
            case LogOp.Input in -> "data set '" + in.name() + "'";
            case LogOp.Artifact a -> "artifact '" + Path.of(a.file()).getFileName() + "'";
            case LogOp.EndRun e -> "the end of a run";
            case LogOp.Bind b -> "a run id";
        };
    }

    /** Stops after sending or spooling what is queued, waiting at most {@code max}. */
    void close(Duration max) {
        flush(max);
        closing = true;
        worker.interrupt();
        try {
            worker.join(Math.max(1, max.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Anything the worker did not reach stays on disk for the next session.
        List<LogOp> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) spool.append(withBinds(left));
        spool.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(3));
    }
}
