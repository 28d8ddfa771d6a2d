package yardstick.magics.track;

import yardstick.common.YardstickNames;
import yardstick.tracker.model.Tags;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import yardstick.kernel.JavaKernel;
import yardstick.magics.YardstickHome;
import yardstick.tracker.TrackerConfig;
import yardstick.tracker.TrackerServer;
import yardstick.tracker.client.ArtifactClient;
import yardstick.tracker.home.HomeTracker;

/**
 * A notebook session's tracking: the tracker (MLFLOW_TRACKING_URI, else the home's shared tracker, started on first
 * use when none serves it), the notebook's experiment, the session's parent run, runs started with {@code %run start},
 * and the child runs that magics open. One per JVM through {@link #global()}; tests build their own from {@link Settings}.
 */
public final class Tracking implements AutoCloseable {
    /** Where and how to track; {@code trackingUri} null means "the tracker of {@code home}". */
    public record Settings(String trackingUri, String token, String username, String password, Path home,
            String experiment, String notebook, boolean enabled) {

        /** From the notebook's environment: MLFLOW_TRACKING_URI, MLFLOW_EXPERIMENT_NAME, YARDSTICK_TRACKING=off. */
        public static Settings fromEnvironment(Function<String, String> env, Path workingDirectory) {
            String notebook = env.apply(YardstickNames.NOTEBOOK_ENV);
            if (notebook == null) notebook = env.apply(YardstickNames.JUPYTER_SESSION_NAME_ENV);
            if (notebook == null) notebook = notebookFromJupyterServer();
            String experiment = env.apply(YardstickNames.MLFLOW_EXPERIMENT_NAME);
            if (experiment == null) experiment = experimentName(notebook, workingDirectory);
            String off = env.apply(YardstickNames.TRACKING_ENV);
            boolean enabled = off == null || !(off.equalsIgnoreCase("off") || off.equalsIgnoreCase("false") || off.equals("0"));
            return new Settings(env.apply(YardstickNames.MLFLOW_TRACKING_URI), env.apply(YardstickNames.MLFLOW_TRACKING_TOKEN),
                    env.apply(YardstickNames.MLFLOW_TRACKING_USERNAME), env.apply(YardstickNames.MLFLOW_TRACKING_PASSWORD), YardstickHome.resolve(),
                    experiment, notebook, enabled);
        }

        /** Notebook 6 sets no JPY_SESSION_NAME: its server's sessions API knows the notebook of this kernel. */
        private static String notebookFromJupyterServer() {
            String connectionFile = System.getProperty(YardstickNames.KERNEL_CONNECTION_FILE_PROPERTY);
            if (connectionFile == null) return null;
            return JupyterNotebookPath.find(Path.of(connectionFile)).map(Path::toString).orElse(null);
        }

        /** A notebook's experiment: its folder and file name without extension ("notebooks/01-quickstart"). */
        static String experimentName(String notebook, Path workingDirectory) {
            if (notebook != null) {
                Path p = Path.of(notebook);
                String stem = p.getFileName().toString().replaceFirst("\\.ipynb$", "");
                Path parent = p.toAbsolutePath().getParent();
                return parent == null || parent.getFileName() == null ? stem : parent.getFileName() + "/" + stem;
            }
            Path dir = workingDirectory.toAbsolutePath();
            return dir.getFileName() == null ? "notebook" : dir.getFileName().toString();
        }

        public Settings withTrackingUri(String uri) {
            return new Settings(uri, token, username, password, home, experiment, notebook, enabled);
        }

        public Settings withExperiment(String name) {
            return new Settings(trackingUri, token, username, password, home, name, notebook, enabled);
        }
    }

    private static volatile Tracking global;
    private static Thread shutdownHook;

    private volatile Settings settings;
    private final TrackerServer embedded;
    private final URI uri;
    private final MlflowClient client;
    private final String authorization;
    private final MlflowBackend backend;
    private final RunLogger logger;
    private final PrintStream err;
    private final Deque<TrackedRun> started = new ArrayDeque<>();
    private TrackedRun session;
    private volatile String experimentId;

    /** Connects (starting the embedded tracker when no URI is set); announces the embedded tracker on {@code out}. */
    public Tracking(Settings settings, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.err = err;
        if (!settings.enabled()) {
            embedded = null;
            uri = null;
            client = null;
            authorization = null;
            backend = null;
            logger = null;
            return;
        }
        if (settings.trackingUri() == null) {
            // The home's tracker outlives this kernel: its URL can be bookmarked, and jobs keep logging to it.
            embedded = inProcess() ? startInProcess(settings.home()) : null;
            uri = embedded != null ? embedded.uri() : HomeTracker.ensure(settings.home());
            out.println("Yardstick tracker: " + uri + "/ (runs in " + settings.home().resolve(YardstickNames.TRACKER_DATABASE) + ")");
        } else {
            embedded = null;
            String u = settings.trackingUri();
            uri = URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        }
        BasicMlflowHostCreds creds = settings.token() != null
                ? new BasicMlflowHostCreds(uri.toString(), settings.token())
                : new BasicMlflowHostCreds(uri.toString(), settings.username(), settings.password());
        client = new MlflowClient(creds);
        authorization = settings.token() != null ? "Bearer " + settings.token()
                : settings.username() != null && settings.password() != null
                        ? "Basic " + java.util.Base64.getEncoder().encodeToString((settings.username() + ":"
                                + settings.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        : null;
        backend = new MlflowBackend(client, new ArtifactClient(uri, authorization));
        logger = new RunLogger(backend, uri.toString(), settings.home().resolve("spool"), Duration.ofMillis(500),
                Duration.ofSeconds(30));
    }

    /** A tracker inside this JVM, ending with it: for tests that want no process of their own. */
    private static TrackerServer startInProcess(Path home) {
        return TrackerServer.start(TrackerConfig.defaults().withPort(0)
                .withStore("sqlite:" + home.resolve(YardstickNames.TRACKER_DATABASE))
                .withArtifactRoot(home.resolve(YardstickNames.TRACKER_ARTIFACTS)));
    }

    /** {@code YARDSTICK_TRACKER_MODE=in-process}: the tracker runs in this JVM instead of the home's shared one. */
    static boolean inProcess() {
        return "in-process".equalsIgnoreCase(YardstickHome.env(YardstickNames.TRACKER_MODE_ENV));
    }

    /** This JVM's tracking, created from the notebook's environment on first use. */
    public static Tracking global() {
        Tracking t = global;
        if (t != null) return t;
        synchronized (Tracking.class) {
            if (global == null) {
                Settings s = Settings.fromEnvironment(YardstickHome::env, workingDirectory());
                global = new Tracking(s, System.out, System.err);
                shutdownHook = new Thread(Tracking::reset, "yardstick-tracking-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            return global;
        }
    }

    /** Ends this JVM's session run, sends or spools what is queued, and forgets it: the next use starts afresh. */
    public static void reset() {
        synchronized (Tracking.class) {
            Tracking t = global;
            global = null;
            if (t != null) t.close();
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // already running
                }
            }
            shutdownHook = null;
        }
    }

    private static Path workingDirectory() {
        try {
            return yardstick.kernel.Session.active().workingDirectory();
        } catch (IllegalStateException noNotebook) {
            return Path.of(System.getProperty("user.dir"));
        }
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public Settings settings() {
        return settings;
    }

    /** The tracking URI, such as {@code http://127.0.0.1:41234}. */
    public String trackerName() {
        return uri == null ? "(tracking off)" : uri.toString();
    }

    public URI uri() {
        return uri;
    }

    /** The Authorization header this tracker is reached with, or null. */
    public String authorization() {
        requireEnabled();
        return authorization;
    }

    /** The MLflow client for reading runs back. */
    public MlflowClient client() {
        requireEnabled();
        return client;
    }

    RunLogger logger() {
        return logger;
    }

    Path stagingDir() {
        return settings.home().resolve("spool").resolve("artifacts");
    }

    /**
     * Logs later runs to experiment {@code name}: the session's run so far ends, and the next use opens a new one
     * there. Refused while a run started with {@link #start} is open, since its children would land elsewhere.
     */
    public synchronized void useExperiment(String name) {
        requireEnabled();
        if (name == null || name.isBlank()) throw new IllegalArgumentException("an experiment needs a name");
        if (!started.isEmpty()) {
            throw new IllegalStateException("end the runs opened with %run start first (" + started.size() + " open)");
        }
        if (name.equals(settings.experiment())) return;
        if (session != null) {
            session.end("FINISHED");
            session = null;
        }
        settings = settings.withExperiment(name);
        experimentId = null;
    }

    /** The notebook's experiment id, created if needed (this call talks to the tracker). */
    public String experimentId() {
        requireEnabled();
        if (experimentId == null) experimentId = backend.experimentId(settings.experiment());
        return experimentId;
    }

    public String experimentName() {
        return settings.experiment();
    }

    void submit(LogOp op) {
        if (logger == null) return;
        logger.submit(op);
        printWarnings();
    }

    /** Prints, on the calling cell's stderr, what the background logger has to say. */
    public void printWarnings() {
        if (logger == null) return;
        for (String w : logger.takeWarnings()) err.println(w);
    }

    /** The session's parent run, opened on first use. */
    public synchronized TrackedRun session() {
        if (session == null) {
            String name = "session " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
            Map<String, String> tags = baseTags();
            tags.put(Tags.KIND, "session");
            session = open(name, null, tags);
        }
        return session;
    }

    /** The run logging goes to: the innermost one started with {@link #start}, else the session's. */
    public synchronized TrackedRun current() {
        return started.isEmpty() ? session() : started.peek();
    }

    /** Starts a run of the person's own, a child of the current run, which becomes current until it ends. */
    public synchronized TrackedRun start(String name) {
        Map<String, String> tags = baseTags();
        tags.put(Tags.KIND, "run");
        TrackedRun parent = current();
        TrackedRun run = open(name, parent, tags);
        started.push(run);
        return run;
    }

    /** Ends the innermost run started with {@link #start}; false when there is none. */
    public synchronized boolean endStarted(String status) {
        TrackedRun r = started.peek();
        if (r == null) return false;
        r.end(status);
        return true;
    }

    /** A child of the current run for one magic's work, tagged with the magic and the cell's source. */
    public synchronized TrackedRun child(String name, String magic, String cellSource) {
        Map<String, String> tags = baseTags();
        tags.put(Tags.KIND, "magic");
        tags.put(Tags.MAGIC, magic);
        if (cellSource != null) tags.put(Tags.CELL, cellSource.length() > 5000 ? cellSource.substring(0, 5000) : cellSource);
        return open(name, current(), tags);
    }

    private TrackedRun open(String name, TrackedRun parent, Map<String, String> tags) {
        String local = UUID.randomUUID().toString();
        TrackedRun run = new TrackedRun(this, local, name);
        submit(new LogOp.CreateRun(local, parent == null ? null : parent.local, settings.experiment(), name,
                System.currentTimeMillis(), tags));
        return run;
    }

    synchronized void ended(TrackedRun run) {
        started.remove(run);
    }

    private Map<String, String> baseTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(Tags.VERSION, JavaKernel.VERSION);
        tags.put("mlflow.user", System.getProperty("user.name", "unknown"));
        tags.put("mlflow.source.type", "NOTEBOOK");
        if (settings.notebook() != null) tags.put("mlflow.source.name", settings.notebook());
        return tags;
    }

    /** Waits up to {@code max} for queued records to reach the tracker; false when some are still on their way or on disk. */
    public boolean flush(Duration max) {
        if (logger == null) return true;
        boolean ok = logger.flush(max);
        printWarnings();
        return ok;
    }

    /** True while the tracker is unreachable and records are being kept on disk. */
    public boolean offline() {
        return logger != null && logger.offline();
    }

    private void requireEnabled() {
        if (!settings.enabled()) throw new IllegalStateException("tracking is off (YARDSTICK_TRACKING=off)");
    }

    /** Ends open runs, sends or spools what is queued (waiting up to 3 s), and stops an in-process tracker. */
    @Override
    public void close() {
        if (logger == null) return;
        synchronized (this) {
            while (!started.isEmpty()) started.peek().end("FINISHED");
            if (session != null) session.end("FINISHED");
        }
        logger.close(Duration.ofSeconds(3));
        try {
            client.close();
        } catch (RuntimeException e) {
            // closing a connection pool
        }
        if (embedded != null) embedded.close();
    }
}
