package yardstick.magics.finetune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.magics.YardstickHome;
import yardstick.magics.finetune.job.Backend;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobMonitor;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobRegistry;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.job.JobState;
import yardstick.magics.finetune.job.JobValidator;
import yardstick.magics.finetune.job.LocalBackend;
import yardstick.magics.finetune.job.Progress;
import yardstick.magics.finetune.slurm.SlurmBackend;
import yardstick.magics.finetune.train.TrainLoop;
import yardstick.magics.finetune.train.TrainerMain;
import yardstick.magics.track.TrackedRun;
import yardstick.magics.track.Tracking;
import yardstick.tracker.client.ArtifactClient;

/**
 * Fine-tunes as background jobs, from Java: {@code Finetune.jobs().launch(JobSpec.of("classify", "labels.csv"))}
 * returns the job's id at once; the trainer runs beside this JVM (or on Slurm), each job is a child run of the
 * notebook's run with its metrics per step, and jobs live on disk, so a restarted kernel finds them again.
 */
public final class Finetune {
    private static volatile Finetune global;
    private final JobRegistry registry;
    private final Map<String, Backend> backends;
    private final Supplier<Tracking> tracking;
    private final Map<String, JobMonitor> monitors = new ConcurrentHashMap<>();

    /**
     * @param tracking where runs go; it may return null (no tracking)
     */
    public Finetune(JobRegistry registry, Map<String, Backend> backends, Supplier<Tracking> tracking) {
        this.registry = registry;
        this.backends = Map.copyOf(backends);
        this.tracking = tracking;
    }

    /** This JVM's jobs: under YARDSTICK_HOME/jobs, the local and Slurm backends, the notebook's tracking. */
    public static Finetune jobs() {
        Finetune f = global;
        if (f != null) return f;
        synchronized (Finetune.class) {
            if (global == null) {
                Path home = YardstickHome.resolve();
                String cache = YardstickHome.env("DJL_CACHE_DIR");
                Path djl = cache != null ? Path.of(cache) : home.resolve("cache").resolve("djl");
                global = new Finetune(new JobRegistry(home.resolve("jobs")),
                        Map.of("local", new LocalBackend(djl), "slurm", new SlurmBackend(djl, Finetune::slurmEnv)), () -> {
                            Tracking t = Tracking.global();
                            return t.enabled() ? t : null;
                        });
            }
            return global;
        }
    }

    private static Map<String, String> slurmEnv() {
        String conf = YardstickHome.env("SLURM_CONF");
        return conf == null ? Map.of() : Map.of("SLURM_CONF", conf);
    }

    public JobRegistry registry() {
        return registry;
    }

    /** Validates the spec and its data, starts the job and returns its id; {@code cell} is logged with the run. */
    public String launch(JobSpec spec, String cell) {
        JobSpec s = new JobValidator(registry).validate(spec);
        Backend backend = backend(s.backend());
        String id = registry.newId();
        s = s.withId(id);
        Path dir = registry.dir(id);
        try {
            s.write(dir.resolve(TrainerMain.SPEC));
        } catch (IOException e) {
            throw new JobException("cannot write the job's spec in " + dir + ": " + e.getMessage(), e);
        }
        JobRecord r = new JobRecord(id, backend.name(), 0, 0, null, null, JobState.RUNNING, null, false,
                System.currentTimeMillis(), 0, 1);
        registry.save(r);
        TrackedRun run = openRun(s, cell);
        r = backend.launch(r, dir);
        registry.save(r);
        follow(id, backend, 0, run);
        return id;
    }

    public String launch(JobSpec spec) {
        return launch(spec, null);
    }

    private TrackedRun openRun(JobSpec s, String cell) {
        Tracking t = tracking.get();
        if (t == null) return null;
        try {
            TrackedRun run = t.child(s.name() != null ? s.name() : "finetune " + s.task(), "finetune", cell);
            run.param("job", s.id()).param("task", s.task()).param("data", s.data()).param("base", String.valueOf(s.base()))
                    .param("epochs", s.epochs()).param("lr", s.lr()).param("batch", s.batch()).param("device", s.device())
                    .param("backend", s.backend()).param("max_steps", s.maxSteps());
            if (s.task().equals("lm")) {
                run.param("context", s.context()).param("dim", s.dim()).param("layers", s.layers()).param("heads", s.heads());
            }
            return run;
        } catch (RuntimeException e) {
            System.err.println("Yardstick: the fine-tune is not tracked: " + e.getMessage());
            return null;
        }
    }

    /** Starts following a job: a progress bar in the current cell, metrics to its run, its final state on disk. */
    private JobMonitor follow(String id, Backend backend, long offset, TrackedRun run) {
        JobMonitor m = new JobMonitor(registry, backend, id, offset);
        ProgressView view = ProgressView.forCell(id);
        if (view != null) m.listen(view);
        if (run != null) {
            m.listen(TrackerListener.of(run));
            // The run id is known once the tracker answers: record it without holding up the launching cell.
            Thread.ofVirtual().start(() -> {
                try {
                    String runId = run.id();
                    synchronized (this) {
                        registry.save(registry.get(id).withRunId(runId));
                    }
                } catch (RuntimeException e) {
                    // No id (tracking off or unreachable): Models.classifier takes the job id as well.
                }
            });
        } else {
            JobRecord r = registry.get(id);
            Tracking t = r.runId() == null ? null : tracking.get();
            if (t != null) {
                m.listen(TrackerListener.of(t.client(), new ArtifactClient(t.uri()), r.runId()));
            }
        }
        monitors.put(id, m);
        return m.start();
    }

    /**
     * A job's record; a running job that this JVM does not follow yet (launched before a restart) is re-attached:
     * its progress is read again from the start and its end recorded.
     */
    public JobRecord status(String id) {
        JobRecord r = registry.get(id);
        if (r.state() == JobState.RUNNING && !monitors.containsKey(id)) attach(id);
        return registry.get(id);
    }

    /** Follows a running job launched by another JVM (a kernel before its restart), with a progress bar in this cell. */
    public synchronized JobMonitor attach(String id) {
        JobMonitor m = monitors.get(id);
        if (m != null) return m;
        JobRecord r = registry.get(id);
        return follow(id, backend(r.backend()), 0, null);
    }

    /** The latest step a job reported. */
    public Progress progress(String id) {
        JobMonitor m = monitors.get(id);
        return m == null ? Progress.NONE : m.last();
    }

    /** Every job, newest last, with its state and latest progress. */
    public Table table() {
        StringColumn id = StringColumn.create("id"), task = StringColumn.create("task"), state = StringColumn.create("state"),
                name = StringColumn.create("name"), run = StringColumn.create("run"), reason = StringColumn.create("reason"),
                created = StringColumn.create("created");
        IntColumn step = IntColumn.create("step");
        DoubleColumn loss = DoubleColumn.create("loss");
        for (JobRecord r : registry.list()) {
            if (r.state() == JobState.RUNNING && !monitors.containsKey(r.id())) attach(r.id());
            JobSpec s = registry.spec(r.id());
            Progress p = progress(r.id());
            id.append(r.id());
            task.append(s.task());
            state.append(registry.get(r.id()).state().name());
            name.append(s.name() == null ? "" : s.name());
            run.append(r.runId() == null ? "" : r.runId());
            step.append((int) p.step());
            loss.append(p.loss());
            reason.append(r.reason() == null ? "" : r.reason());
            created.append(Instant.ofEpochMilli(r.created()).toString());
        }
        return Table.create("fine-tune jobs", id, task, state, step, loss, name, run, reason, created);
    }

    /** The last {@code lines} lines of the trainer's output. */
    public String logs(String id, int lines) {
        registry.get(id);
        return registry.logTail(id, lines);
    }

    /** Stops a running job within 5 s and marks it KILLED; returns its final record. */
    public JobRecord cancel(String id) {
        JobRecord r = registry.get(id);
        if (r.state().done()) throw new JobException("job " + id + " has already ended: " + r.state());
        JobMonitor m = attach(id);
        r = r.withCancelRequested();
        registry.save(r);
        backend(r.backend()).cancel(r);
        return await(m, Duration.ofSeconds(10));
    }

    /** Continues an ended job (cancelled or failed) from its last checkpoint, as the same job id and run. */
    public String resume(String id) {
        JobRecord r = registry.get(id);
        if (r.state() == JobState.RUNNING) throw new JobException("job " + id + " is still running");
        if (r.state() == JobState.FINISHED) throw new JobException("job " + id + " has finished; launch a new one with --base " + id);
        Path dir = registry.dir(id);
        Path ckpt;
        try {
            ckpt = TrainLoop.latestCheckpoint(dir);
        } catch (IOException e) {
            throw new JobException("cannot read the checkpoints of job " + id + ": " + e.getMessage(), e);
        }
        if (ckpt == null) throw new JobException("job " + id + " has no checkpoint to resume from: launch it again");
        JobSpec s = registry.spec(id).withResumeFrom(ckpt.toString());
        try {
            s.write(dir.resolve(TrainerMain.SPEC));
        } catch (IOException e) {
            throw new JobException("cannot write the job's spec: " + e.getMessage(), e);
        }
        long offset = size(dir.resolve(TrainerMain.PROGRESS));
        Backend backend = backend(r.backend());
        r = backend.launch(r.restarted(), dir);
        registry.save(r);
        monitors.remove(id);
        follow(id, backend, offset, null);
        return id;
    }

    /** Waits for a job to end and returns its final record; a job still running after {@code max} is left running. */
    public JobRecord await(String id, Duration max) {
        status(id);
        JobMonitor m = monitors.get(id);
        if (m == null) return registry.get(id);
        return await(m, max);
    }

    private static JobRecord await(JobMonitor m, Duration max) {
        try {
            return m.done().get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new JobException("the job is still running after " + max.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobException("interrupted while waiting for the job", e);
        } catch (ExecutionException e) {
            throw new JobException("following the job failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The trained model of a finished job (a run id or a job id). */
    public Path result(String runOrJobId) {
        JobRecord r = find(runOrJobId);
        if (r.state() != JobState.FINISHED) {
            throw new JobException("job " + r.id() + " is " + r.state() + (r.reason() == null ? "" : " (" + r.reason() + ")")
                    + ": it has no model yet");
        }
        return registry.dir(r.id()).resolve(TrainLoop.RESULT);
    }

    /** The job with this id, or the job whose run has this id. */
    public JobRecord find(String runOrJobId) {
        if (runOrJobId != null && Files.isDirectory(registry.root().resolve(runOrJobId))) {
            try {
                return registry.get(runOrJobId);
            } catch (JobException notAJob) {
                // fall through to run ids
            }
        }
        for (JobRecord r : registry.list()) {
            if (runOrJobId != null && runOrJobId.equals(r.runId())) return r;
        }
        throw new JobException("no fine-tune job or run '" + runOrJobId + "' in " + registry.root());
    }

    private Backend backend(String name) {
        Backend b = backends.get(name);
        if (b == null) throw new JobException("no backend '" + name + "': use " + backends.keySet());
        return b;
    }

    private static long size(Path f) {
        try {
            return Files.isRegularFile(f) ? Files.size(f) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
