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
import java.util.LinkedHashMap;
import java.util.List;
import yardstick.magics.finetune.gpu.SystemMetrics;
import yardstick.magics.finetune.hosted.OpenAiBackend;
import yardstick.magics.finetune.job.Backend;
import yardstick.magics.finetune.job.CommandSpec;
import yardstick.magics.finetune.job.JobListener;
import yardstick.magics.finetune.job.RunMetrics;
import yardstick.kernel.magic.Environment;
import yardstick.magics.llm.ModelCatalog;
import yardstick.magics.llm.local.BundledModel;
import yardstick.magics.track.ModelRegistry;
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
    private final Map<String, SystemMetrics> samplers = new ConcurrentHashMap<>();
    private final GpuPool gpus;
    private volatile String lastLaunched;

    /**
     * @param tracking where runs go; it may return null (no tracking)
     */
    public Finetune(JobRegistry registry, Map<String, Backend> backends, Supplier<Tracking> tracking) {
        this.registry = registry;
        this.backends = Map.copyOf(backends);
        this.tracking = tracking;
        this.gpus = new GpuPool(registry.root(), this::processAlive);
    }

    /** Whether a job's process still runs: the GPU ledger drops holders whose job is gone. */
    private boolean processAlive(String id) {
        try {
            JobRecord r = registry.get(id);
            return !r.state().done() && backend(r.backend()).alive(r);
        } catch (RuntimeException gone) {
            return false;
        }
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
                JobRegistry jobs = new JobRegistry(home.resolve("jobs"));
                global = new Finetune(jobs, Map.of("local", new LocalBackend(djl), "slurm",
                        new SlurmBackend(djl, Finetune::slurmEnv), OpenAiBackend.NAME, OpenAiBackend.standard(jobs)), () -> {
                            Tracking t = Tracking.global();
                            return t.enabled() ? t : null;
                        });
            }
            return global;
        }
    }

    /** Forgets this JVM's jobs object (its monitors keep running): the next {@link #jobs()} reads the home again. */
    public static synchronized void reset() {
        global = null;
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
        if (spec.runsCommand()) return launchCommand(spec, cell);
        // A hosted service checks its own files (chat JSONL) before anything is uploaded.
        JobSpec s = OpenAiBackend.NAME.equals(spec.backend()) ? spec : new JobValidator(registry).validate(spec);
        Backend backend = backend(s.backend());
        String id = registry.newId();
        s = s.withId(id);
        writeSpec(s, registry.dir(id));
        JobRecord r = JobRecord.created(id, backend.name(), JobState.RUNNING);
        registry.save(r);
        TrackedRun run = openRun(s, cell);
        try {
            r = backend.launch(r, registry.dir(id));
        } catch (RuntimeException e) {
            registry.save(r.ended(JobState.FAILED, e.getMessage()));
            if (run != null) run.end("FAILED");
            throw e;
        }
        registry.save(r);
        lastLaunched = id;
        follow(id, backend, 0, run);
        return id;
    }

    /**
     * A command job: its run is created first, so the trainer gets MLflow's variables and logs into it; the job waits
     * QUEUED until the GPUs it asks for are free, then starts pinned to them.
     */
    private String launchCommand(JobSpec spec, String cell) {
        JobSpec s = new JobValidator(registry).validateCommand(spec, gpus);
        Backend backend = backend(s.backend());
        String id = registry.newId();
        s = s.withId(id);
        Path dir = registry.dir(id);
        writeSpec(s, dir);
        TrackedRun run = openRun(s, cell);
        // The notebook's %env settings reach the trainer (HF_HOME, a key), and so does the bundled model's file, so a
        // command line can name it as $YARDSTICK_LOCAL_MODEL.
        Map<String, String> env = new LinkedHashMap<>(Environment.shared().all());
        env.put("YARDSTICK_JOB_ID", id);
        env.put("YARDSTICK_JOB_DIR", dir.toAbsolutePath().toString());
        try {
            env.put("YARDSTICK_LOCAL_MODEL", BundledModel.file().toString());
        } catch (IOException e) {
            System.err.println("Yardstick: $YARDSTICK_LOCAL_MODEL is not set: " + e.getMessage());
        }
        if (run != null) env.putAll(mlflowEnv(run));
        if (run != null && !backend.name().equals("local") && isLoopback(tracking.get().uri())) {
            System.err.println("Yardstick: the tracker is at " + tracking.get().uri() + ", which other machines cannot reach:"
                    + " set MLFLOW_TRACKING_URI to a tracker the cluster's nodes can reach (yardstick tracker --host ...)");
        }
        int n = Math.max(0, s.gpus());
        boolean local = backend.name().equals("local");
        List<Integer> granted = local && n > 0 ? gpus.tryAcquire(id, n) : List.of();
        JobRecord r = JobRecord.created(id, backend.name(), granted == null ? JobState.QUEUED : JobState.RUNNING);
        if (run != null) r = r.withRunId(run.id());
        registry.save(r);
        lastLaunched = id;
        if (granted == null) {
            System.out.println("job " + id + " is QUEUED until " + n + " GPU" + (n == 1 ? "" : "s") + " are free");
            JobSpec queued = s;
            Thread.ofVirtual().name("yardstick-queue-" + id).start(() -> {
                try {
                    start(queued, backend, gpus.acquire(id, n), env, run);
                } catch (RuntimeException | InterruptedException e) {
                    JobRecord q = registry.get(id);
                    if (!q.state().done()) registry.save(q.ended(q.cancelRequested() ? JobState.KILLED : JobState.FAILED,
                            q.cancelRequested() ? "cancelled while queued" : "could not start: " + e.getMessage()));
                }
            });
        } else {
            start(s, backend, granted, env, run);
        }
        follow(id, backend, 0, run);
        return id;
    }

    /** Starts a command job on its GPUs (none on Slurm, which places GPUs itself) with system metrics sampled into its run. */
    private void start(JobSpec s, Backend backend, List<Integer> granted, Map<String, String> env, TrackedRun run) {
        Map<String, String> e = new LinkedHashMap<>(env);
        if (backend.name().equals("local")) e.put("CUDA_VISIBLE_DEVICES", GpuPool.visibleDevices(granted));
        JobRecord r = registry.get(s.id());
        if (r.cancelRequested()) {
            gpus.release(s.id());
            return;
        }
        try {
            r = backend.launch(r.running(granted), registry.dir(s.id()), e);
        } catch (RuntimeException failed) {
            gpus.release(s.id());
            registry.save(r.ended(JobState.FAILED, failed.getMessage()));
            throw failed;
        }
        registry.save(r);
        if (run != null && backend.name().equals("local")) {
            run.tag(yardstick.tracker.model.Tags.JOB_GPUS, GpuPool.visibleDevices(granted));
            samplers.put(s.id(), GpuPool.sample(granted, run));
        }
    }

    /** MLflow's environment contract: where to log, into which run, and the credentials the notebook uses. */
    private Map<String, String> mlflowEnv(TrackedRun run) {
        Tracking t = tracking.get();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MLFLOW_TRACKING_URI", t.uri().toString());
        env.put("MLFLOW_EXPERIMENT_ID", t.experimentId());
        env.put("MLFLOW_RUN_ID", run.id());
        Tracking.Settings st = t.settings();
        if (st.token() != null) env.put("MLFLOW_TRACKING_TOKEN", st.token());
        if (st.username() != null) env.put("MLFLOW_TRACKING_USERNAME", st.username());
        if (st.password() != null) env.put("MLFLOW_TRACKING_PASSWORD", st.password());
        return env;
    }

    private static void writeSpec(JobSpec s, Path dir) {
        try {
            s.write(dir.resolve(TrainerMain.SPEC));
        } catch (IOException e) {
            throw new JobException("cannot write the job's spec in " + dir + ": " + e.getMessage(), e);
        }
    }

    public String launch(JobSpec spec) {
        return launch(spec, null);
    }

    private TrackedRun openRun(JobSpec s, String cell) {
        Tracking t = tracking.get();
        if (t == null) return null;
        try {
            if (s.runsCommand()) return openCommandRun(t, s, cell);
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

    /**
     * A command job's run, created before the command starts (its id goes into the command's environment): the command
     * line, folder, host and backend as params, the data files as inputs by content digest. Params the trainer logs
     * itself (total_steps, lr) keep their own names.
     */
    private static TrackedRun openCommandRun(Tracking t, JobSpec s, String cell) {
        CommandSpec c = s.command();
        String first = c.line().strip().split("\\s+", 2)[0];
        TrackedRun run = t.child(s.name() != null ? s.name() : "finetune " + Path.of(first).getFileName(), "finetune", cell);
        run.param("job", s.id()).param("command", c.line()).param("workdir", c.workdir()).param("backend", s.backend())
                .param("gpus_requested", s.gpus()).param("nodes", c.nodes());
        if (s.maxSteps() > 0) run.param("max_steps", s.maxSteps());
        run.tag(yardstick.tracker.model.Tags.JOB_ID, s.id()).tag(yardstick.tracker.model.Tags.JOB_HOST, host());
        for (String d : c.data()) run.input(Path.of(d).getFileName().toString(), Path.of(d));
        run.id(); // the command needs it: wait for the tracker to answer now
        return run;
    }

    private static boolean isLoopback(java.net.URI uri) {
        String h = uri.getHost();
        return h == null || h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]");
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** Starts following a job: a progress bar in the current cell, metrics to its run, its final state on disk. */
    private JobMonitor follow(String id, Backend backend, long offset, TrackedRun run) {
        JobSpec spec = registry.spec(id);
        Path dir = registry.dir(id);
        boolean relay = !spec.runsCommand();
        Tracking t = tracking.get();
        String knownRun = registry.get(id).runId();
        RunMetrics metrics = spec.runsCommand() && t != null && knownRun != null ? new TrackerRunMetrics(t.client(), knownRun) : null;
        JobMonitor m = new JobMonitor(registry, backend, id, offset, metrics);
        ProgressView view = ProgressView.forCell(id);
        if (view != null) m.listen(view);
        if (run != null) {
            m.listen(TrackerListener.of(run, dir, relay));
            if (knownRun == null) {
                // The run id is known once the tracker answers: record it without holding up the launching cell.
                Thread.ofVirtual().start(() -> {
                    try {
                        String runId = run.id();
                        registry.update(id, r -> r.withRunId(runId));
                    } catch (RuntimeException e) {
                        // No id (tracking off or unreachable): Models.classifier takes the job id as well.
                    }
                });
            }
        } else if (t != null && knownRun != null) {
            m.listen(TrackerListener.of(t.client(), new ArtifactClient(t.uri()), knownRun, dir, relay));
        }
        m.listen(new JobListener() {
            @Override
            public void ended(JobRecord r, Progress last, Path result, String logTail) {
                jobEnded(r, spec);
            }
        });
        monitors.put(id, m);
        return m.start();
    }

    /** A job's end: a command's GPUs go back to the pool and its sampler stops; a finished job is registered if asked. */
    private void jobEnded(JobRecord r, JobSpec spec) {
        SystemMetrics s = samplers.remove(r.id());
        if (s != null) s.stop();
        if (!r.gpus().isEmpty() || spec.runsCommand() && spec.gpus() > 0) gpus.release(r.id());
        if (r.state() == JobState.FINISHED && spec.register() != null) {
            try {
                String v = register(r.id(), spec.register());
                System.out.println("job " + r.id() + " registered as models:/" + spec.register() + "/" + v);
            } catch (RuntimeException e) {
                System.err.println("Yardstick: job " + r.id() + " finished but was not registered: " + e.getMessage());
            }
        }
    }

    /**
     * A job's record; a running job that this JVM does not follow yet (launched before a restart) is re-attached:
     * its progress is read again from the start and its end recorded.
     */
    public JobRecord status(String id) {
        JobRecord r = registry.get(id);
        if (!r.state().done() && !monitors.containsKey(id)) attach(id);
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
            if (!r.state().done() && !monitors.containsKey(r.id())) attach(r.id());
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

    /** Stops a running job within 5 s (a queued one leaves the line) and marks it KILLED; returns its final record. */
    public JobRecord cancel(String id) {
        JobRecord r = registry.get(id);
        if (r.state().done()) throw new JobException("job " + id + " has already ended: " + r.state());
        JobMonitor m = attach(id);
        r = registry.update(id, JobRecord::withCancelRequested);
        gpus.cancel(id);
        backend(r.backend()).cancel(r);
        return await(m, Duration.ofSeconds(10));
    }

    /** The job this JVM launched last: what {@code %finetune wait} with no id waits for. */
    public String lastLaunched() {
        if (lastLaunched == null) throw new JobException("no job was launched in this session: name one (see %finetune status)");
        return lastLaunched;
    }

    /**
     * Makes a finished job's model a new version of the registered model {@code name} (created on first use) and
     * returns the version: the run's weights file for a local model, the served model's endpoint for a hosted one.
     */
    public String register(String runOrJobId, String name) {
        JobRecord r = find(runOrJobId);
        if (r.state() != JobState.FINISHED) {
            throw new JobException("job " + r.id() + " is " + r.state() + ": only a finished job can be registered");
        }
        if (r.runId() == null) throw new JobException("job " + r.id() + " has no run (tracking was off): nothing to register");
        Tracking t = tracking.get();
        if (t == null) throw new JobException("tracking is off: the model registry is the tracker's");
        if (!name.matches("[A-Za-z0-9._ -]{1,200}")) throw new JobException("'" + name + "' is not a model name (letters, digits, . _ - and spaces)");
        ModelRegistry reg = new ModelRegistry(t.client(), new ArtifactClient(t.uri()));
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(yardstick.tracker.model.Tags.JOB_ID, r.id());
        Path hosted = registry.dir(r.id()).resolve(ModelCatalog.TUNED_MODEL);
        if (Files.isRegularFile(hosted)) {
            tags.putAll(hostedTags(hosted));
            return reg.register(name, r.runId(), null, tags);
        }
        tags.put(ModelRegistry.KIND, "local");
        return reg.register(name, r.runId(), modelArtifact(r), tags);
    }

    /** A hosted fine-tune's model as version tags: the endpoint that serves it and its name there. */
    private static Map<String, String> hostedTags(Path modelJson) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(modelJson.toFile());
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(ModelRegistry.KIND, "endpoint");
            tags.put(ModelRegistry.MODEL, n.path("fine_tuned_model").asText());
            tags.put(ModelRegistry.BASE_URL, n.path("base_url").asText());
            if (n.hasNonNull("key_env")) tags.put(ModelRegistry.KEY_ENV, n.get("key_env").asText());
            return tags;
        } catch (IOException e) {
            throw new JobException("cannot read " + modelJson + ": " + e.getMessage(), e);
        }
    }

    /** The artifact a version points at: the job's {@code --model-artifact}, else its first weights file. */
    private String modelArtifact(JobRecord r) {
        JobSpec s = registry.spec(r.id());
        if (s.runsCommand() && s.command().modelArtifact() != null) return s.command().modelArtifact();
        if (!s.runsCommand()) return TrainLoop.RESULT;
        Tracking t = tracking.get();
        ArtifactClient artifacts = new ArtifactClient(t.uri());
        try {
            String root = artifacts.artifactUri(r.runId());
            java.util.Deque<String> dirs = new java.util.ArrayDeque<>(List.of(""));
            while (!dirs.isEmpty()) {
                for (var f : artifacts.list(root, dirs.poll())) {
                    if (f.directory()) dirs.add(f.path());
                    else if (f.path().endsWith(".ysw") && !f.path().endsWith("adapter.ysw")) return f.path();
                }
            }
        } catch (IOException e) {
            throw new JobException("cannot list job " + r.id() + "'s artifacts: " + e.getMessage(), e);
        }
        throw new JobException("job " + r.id() + "'s run has no weights file (.ysw) among its artifacts: launch it with"
                + " --model-artifact PATH naming what to register");
    }

    /** Continues an ended job (cancelled or failed) from its last checkpoint, as the same job id and run. */
    public String resume(String id) {
        JobRecord r = registry.get(id);
        if (registry.spec(id).runsCommand()) {
            throw new JobException("job " + id + " runs a command: Yardstick cannot resume it; launch it again (with your"
                    + " trainer's own resume option)");
        }
        if (r.backend().equals(OpenAiBackend.NAME)) {
            throw new JobException("job " + id + " ran on a hosted service, which cannot resume it: launch a new one from"
                    + " its last checkpoint's model (see jobs/" + id + "/" + ModelCatalog.TUNED_MODEL + ")");
        }
        if (!r.state().done()) throw new JobException("job " + id + " is still " + r.state());
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

    /** The trained model of a finished job (a run id or a job id); a hosted job's is its {@code model.json}. */
    public Path result(String runOrJobId) {
        JobRecord r = find(runOrJobId);
        if (r.state() != JobState.FINISHED) {
            throw new JobException("job " + r.id() + " is " + r.state() + (r.reason() == null ? "" : " (" + r.reason() + ")")
                    + ": it has no model yet");
        }
        if (registry.spec(r.id()).runsCommand()) {
            throw new JobException("job " + r.id() + " ran a command: its model is among its run's artifacts (register it"
                    + " with %finetune register, then prompt models:/NAME/VERSION)");
        }
        Path hosted = registry.dir(r.id()).resolve(ModelCatalog.TUNED_MODEL);
        return Files.isRegularFile(hosted) ? hosted : registry.dir(r.id()).resolve(TrainLoop.RESULT);
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
