package yardstick.kernel.output;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The output destination of one cell. A cell's thread and every thread it starts inherit the route, so output
 * printed by a background thread still reaches the cell that started it, also after that cell ended. Threads that
 * no cell started (library pools created earlier) fall back to the most recent cell.
 */
public final class OutputRoute {
    static final long FLUSH_INTERVAL_MS = 50;
    private static final InheritableThreadLocal<OutputRoute> CURRENT = new InheritableThreadLocal<>();
    private static volatile OutputRoute latest;
    private static final Set<OutputRoute> DIRTY = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "yardstick-output-flush");
        t.setDaemon(true);
        return t;
    });

    static {
        FLUSHER.scheduleWithFixedDelay(OutputRoute::flushDirty, FLUSH_INTERVAL_MS, FLUSH_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private final OutputSink sink;
    private final StreamBuffer stdout = new StreamBuffer("stdout", this);
    private final StreamBuffer stderr = new StreamBuffer("stderr", this);

    public OutputRoute(OutputSink sink) {
        this.sink = sink;
    }

    /** Makes this route the current thread's (and its future children's) destination. */
    public void enter() {
        CURRENT.set(this);
        latest = this;
    }

    /** Sends the calling thread's output, and that of threads without a route, to the process's own streams again. */
    public static void detach() {
        CURRENT.remove();
        latest = null;
    }

    /** The route of the calling thread, the latest cell's when it has none, or null before any cell ran. */
    public static OutputRoute current() {
        OutputRoute r = CURRENT.get();
        return r != null ? r : latest;
    }

    public OutputSink sink() {
        return sink;
    }

    StreamBuffer buffer(String name) {
        return "stderr".equals(name) ? stderr : stdout;
    }

    void markDirty() {
        DIRTY.add(this);
    }

    /** Sends all buffered text now: called before a cell's result and reply so that output precedes them. */
    public void flush() {
        DIRTY.remove(this);
        stdout.flush();
        stderr.flush();
    }

    private static void flushDirty() {
        OutputRoute at = null;
        try {
            for (OutputRoute r : DIRTY) {
                at = r;
                try {
                    r.flush();
                } catch (RuntimeException e) {
                    yardstick.kernel.protocol.Log.warn("output flush failed: " + e);
                }
            }
        } catch (OutOfMemoryError e) {
            // A cell filled the heap: this round ends here, but not the flusher's later rounds, which a task that
            // throws would cancel. The route stays marked, so what it still holds goes at the next round.
            if (at != null) at.markDirty();
        }
    }
}
