package yardstick.kernel.magic.builtin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measuring loop of {@code %timeit}, called from a JShell snippet so the measured code is compiled once, as part
 * of that snippet, and runs on JShell's thread, where an interrupt stops it. The magic registers a {@link Plan}, the
 * snippet runs {@link #measure(long, Body)} with its id, and the timings come back in the plan, so the snippet
 * leaves no result variable behind.
 */
public final class Timeit {
    /** IPython's rule: grow the loop count by tens until one run takes at least this long. */
    static final long MIN_RUN_NANOS = 200_000_000L;
    private static final Map<Long, Plan> PLANS = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();

    /** Sinks for measured values, so the JIT cannot drop an expression whose result is unused. */
    private static long longSink;
    private static double doubleSink;
    private static Object objectSink;

    private Timeit() {}

    /** The code being measured; it may throw anything, which ends the measurement. */
    @FunctionalInterface
    public interface Body {
        void run() throws Throwable;
    }

    /** What to measure ({@code loops} 0 chooses automatically) and, once measured, the nanoseconds of each run. */
    static final class Plan {
        final long id = IDS.incrementAndGet();
        volatile long loops;
        final int runs;
        volatile long[] runNanos;

        Plan(long loops, int runs) {
            this.loops = loops;
            this.runs = runs;
        }
    }

    static Plan plan(long loops, int runs) {
        Plan p = new Plan(loops, runs);
        PLANS.put(p.id, p);
        return p;
    }

    static void forget(Plan p) {
        PLANS.remove(p.id);
    }

    /** Runs the plan with this id: chooses the loop count if needed, then times each run. */
    public static void measure(long planId, Body body) throws Throwable {
        Plan plan = PLANS.get(planId);
        if (plan == null) throw new IllegalStateException("no %timeit plan " + planId);
        long loops = plan.loops;
        if (loops <= 0) {
            loops = 1;
            while (time(body, loops) < MIN_RUN_NANOS && loops < 1_000_000_000L) loops *= 10;
        }
        long[] nanos = new long[plan.runs];
        for (int r = 0; r < nanos.length; r++) nanos[r] = time(body, loops);
        plan.loops = loops;
        plan.runNanos = nanos;
    }

    private static long time(Body body, long loops) throws Throwable {
        long t0 = System.nanoTime();
        for (long i = 0; i < loops; i++) {
            if (Thread.currentThread().isInterrupted()) stop();
            body.run();
        }
        return System.nanoTime() - t0;
    }

    /** Ends the snippet the way JShell's own stop check does, so the cell reports an interrupt, not an error. */
    @SuppressWarnings("removal")
    private static void stop() {
        throw new ThreadDeath();
    }

    public static void consume(long v) {
        longSink ^= v;
    }

    public static void consume(double v) {
        doubleSink += v;
    }

    public static void consume(boolean v) {
        longSink ^= v ? 1 : 0;
    }

    public static void consume(Object v) {
        objectSink = v;
    }
}
