package yardstick.magics.finetune.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import yardstick.magics.finetune.train.TrainerMain;

/**
 * Follows one running job: reads new lines of its {@code progress.jsonl} five times a second, passes them to its
 * listeners, and settles the job's final state when the trainer ends: {@code FINISHED} on a {@code done} line,
 * {@code KILLED} when a cancel was asked for, {@code FAILED} with the trainer's reason (or the end of its log when it
 * died without one). A command job writes no progress file: its trainer logs to its run, so the monitor reads the run's
 * latest metrics instead, and settles by the command's exit status. Runs on a daemon thread, so a notebook's cell
 * returns at once.
 */
public final class JobMonitor implements Runnable {
    static final long POLL_MS = 200;
    /**
     * A command job's process is checked twice a second; its run is read from the tracker as often until the first
     * metric shows (so it shows within a second of being logged), then every five seconds, which keeps following a
     * long job well under 1% of a core.
     */
    static final long COMMAND_POLL_MS = 500, STEADY_READS_EVERY = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JobRegistry registry;
    private final Backend backend;
    private final String id;
    private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<JobRecord> done = new CompletableFuture<>();
    private volatile Progress last = Progress.NONE;
    private long offset;
    private String failure;
    private boolean finished;
    private Path result;
    private final RunMetrics metrics;
    private final boolean command;
    private final String progressMetric;
    private final long maxSteps;
    private final long startedMs = System.currentTimeMillis();
    private long steps;
    private long lastStep = -1, rateStep, polls;
    private long rateMs;
    private double rate;

    public JobMonitor(JobRegistry registry, Backend backend, String id, long offset) {
        this(registry, backend, id, offset, null);
    }

    /** @param metrics a command job's run, read for its progress; null for other jobs, or when tracking is off */
    public JobMonitor(JobRegistry registry, Backend backend, String id, long offset, RunMetrics metrics) {
        this.registry = registry;
        this.backend = backend;
        this.id = id;
        this.offset = offset;
        this.metrics = metrics;
        JobSpec spec = specOrNull(registry, id);
        this.command = spec != null && spec.runsCommand();
        this.progressMetric = command ? spec.command().progressMetric() : CommandSpec.DEFAULT_PROGRESS_METRIC;
        this.maxSteps = command ? spec.maxSteps() : 0;
    }

    private static JobSpec specOrNull(JobRegistry registry, String id) {
        try {
            return registry.spec(id);
        } catch (JobException noSpec) {
            return null;
        }
    }

    public JobMonitor listen(JobListener l) {
        listeners.add(l);
        return this;
    }

    public Progress last() {
        return last;
    }

    /** Completes with the final record when the job has ended. */
    public CompletableFuture<JobRecord> done() {
        return done;
    }

    public JobMonitor start() {
        Thread t = new Thread(this, "yardstick-finetune-" + id);
        t.setDaemon(true);
        t.start();
        return this;
    }

    @Override
    public void run() {
        try {
            while (true) {
                JobRecord r = registry.get(id);
                if (r.state() == JobState.QUEUED) {
                    Thread.sleep(command ? COMMAND_POLL_MS : POLL_MS);
                    continue;
                }
                boolean alive;
                try {
                    alive = backend.alive(r);
                } catch (JobException unknown) {
                    // The scheduler does not answer (Slurm's controller down): the job's state is unknown, ask again.
                    Thread.sleep(command ? COMMAND_POLL_MS : POLL_MS);
                    continue;
                }
                readNew();
                if (finished || failure != null || !alive) {
                    readNew();
                    settle();
                    return;
                }
                Thread.sleep(command ? COMMAND_POLL_MS : POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
        } catch (RuntimeException | IOException e) {
            done.completeExceptionally(e);
        }
    }

    private void settle() throws InterruptedException {
        // The trainer writes its last line just before it exits: give it a moment to be gone.
        JobRecord r = registry.get(id);
        for (int i = 0; i < 25 && backend.alive(r); i++) Thread.sleep(POLL_MS);
        java.util.OptionalInt code = command ? exitStatus(registry.get(id)) : java.util.OptionalInt.empty();
        // Decided and saved in one step: the launcher may be recording the run's id at this moment.
        JobRecord end = registry.update(id, now -> {
            if (command) return commandEnd(now, code);
            if (finished) return now.ended(JobState.FINISHED, null);
            if (now.cancelRequested()) return now.ended(JobState.KILLED, "cancelled");
            if (failure != null) return now.ended(JobState.FAILED, failure);
            return now.ended(JobState.FAILED, "the trainer stopped without finishing (killed, or out of memory?)");
        });
        String tail = end.state() == JobState.FINISHED ? "" : registry.logTail(id, 20);
        for (JobListener l : listeners) l.ended(end, last, result, tail);
        done.complete(end);
    }

    /** A command's exit status: as its wrapper recorded it in the job folder, else as the backend kept it. */
    private java.util.OptionalInt exitStatus(JobRecord r) {
        java.util.OptionalInt code = CommandJob.exitCode(registry.dir(id));
        return code.isPresent() || r.cancelRequested() ? code : backend.exitCode(r);
    }

    /** A command's end, by its exit status: none recorded means the wrapper was killed too. */
    private static JobRecord commandEnd(JobRecord r, java.util.OptionalInt code) {
        if (r.cancelRequested()) return r.ended(JobState.KILLED, "cancelled");
        if (code.isEmpty()) return r.ended(JobState.FAILED, "the command stopped without an exit status (its process group was killed)");
        if (code.getAsInt() == 0) return r.ended(JobState.FINISHED, null);
        return r.ended(JobState.FAILED, CommandJob.describe(code.getAsInt()));
    }

    /**
     * A command job's step: the latest point of its progress metric. The bar's length is {@code --max-steps}, else
     * the run's {@code total_steps} (or {@code max_steps}) param once the trainer logged it.
     */
    private void readMetrics() {
        RunMetrics.Snapshot snap;
        try {
            snap = metrics.read();
        } catch (RuntimeException trackerDown) {
            return; // the trainer keeps its own metrics; the bar waits for the tracker
        }
        RunMetrics.Latest m = snap.metrics().get(progressMetric);
        if (steps == 0) steps = maxSteps > 0 ? maxSteps : firstNumber(snap.params(), "total_steps", "max_steps");
        if (m == null || m.step() == lastStep) return;
        long now = System.currentTimeMillis();
        if (rateMs == 0) {
            rateMs = now;
            rateStep = m.step();
        } else if (now - rateMs >= 1000) {
            rate = (m.step() - rateStep) * 1000.0 / (now - rateMs);
            rateMs = now;
            rateStep = m.step();
        }
        lastStep = m.step();
        RunMetrics.Latest epoch = snap.metrics().get("epoch");
        double eta = rate > 0 && steps > 0 ? (steps - m.step()) / rate : Double.NaN;
        last = new Progress(m.step(), Math.max(steps, m.step()), epoch == null ? 0 : (int) epoch.value(), m.value(), rate,
                "steps/s", eta, (now - startedMs) / 1000.0);
        for (JobListener l : listeners) l.step(last);
    }

    private static long firstNumber(java.util.Map<String, String> params, String... keys) {
        for (String k : keys) {
            String v = params.get(k);
            if (v == null) continue;
            try {
                return (long) Double.parseDouble(v.strip());
            } catch (NumberFormatException notANumber) {
                // try the next name
            }
        }
        return 0;
    }

    /** Reads whole lines appended since the last call; a half-written last line waits for the next. */
    private void readNew() throws IOException {
        if (command) {
            if (metrics != null && (lastStep < 0 || polls++ % STEADY_READS_EVERY == 0)) readMetrics();
            return;
        }
        Path file = registry.dir(id).resolve(TrainerMain.PROGRESS);
        if (!Files.isRegularFile(file)) return;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() <= offset) return;
            f.seek(offset);
            byte[] buf = new byte[(int) (f.length() - offset)];
            f.readFully(buf);
            int end = 0;
            for (int i = 0; i < buf.length; i++) {
                if (buf[i] == '\n') {
                    line(new String(buf, end, i - end, StandardCharsets.UTF_8));
                    end = i + 1;
                }
            }
            offset += end;
        }
    }

    private void line(String s) {
        JsonNode n;
        try {
            n = JSON.readTree(s);
        } catch (IOException e) {
            return; // not ours
        }
        String event = n.path("event").asText(null);
        if (event == null) {
            last = Progress.of(n);
            for (JobListener l : listeners) l.step(last);
            return;
        }
        switch (event) {
            case "metric" -> {
                for (JobListener l : listeners) l.metric(n.path("key").asText(), n.path("value").asDouble(), n.path("step").asLong());
            }
            case "checkpoint" -> {
                Path f = registry.dir(id).resolve(n.path("file").asText());
                for (JobListener l : listeners) l.checkpoint(n.path("step").asLong(), f);
            }
            case "done" -> {
                finished = true;
                result = registry.dir(id).resolve(n.path("result").asText());
            }
            case "failed" -> failure = n.path("reason").asText("failed");
            default -> { }
        }
    }
}
