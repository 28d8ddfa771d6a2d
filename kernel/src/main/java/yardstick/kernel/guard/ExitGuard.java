package yardstick.kernel.guard;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import yardstick.kernel.output.OutputRoute;

/**
 * The kernel's answer to System.exit, Runtime.exit and Runtime.halt while a notebook session is open: refused with
 * {@link SystemExit}, thrown where the call was made, unless the kernel itself ends the process through
 * {@link #exit}. Effective only in a JVM started with the {@link ExitAgent}; elsewhere (a test JVM, an embedding
 * program) exit calls behave as usual.
 */
public final class ExitGuard {
    private static final AtomicInteger OPEN_SESSIONS = new AtomicInteger();
    /** The latest refusal per cell (its output route): the cell fails even if the call came from its thread. */
    private static final Map<OutputRoute, SystemExit> REFUSED = new WeakHashMap<>();
    private static volatile Thread exiting;

    private ExitGuard() {}

    /** True when exit calls can be refused in this JVM. */
    public static boolean active() {
        return ExitAgent.installed();
    }

    /** A session opened: from now on exit calls are refused. */
    public static void sessionOpened() {
        OPEN_SESSIONS.incrementAndGet();
    }

    /** A session closed: exit calls are let through again once no session is open. */
    public static void sessionClosed() {
        OPEN_SESSIONS.updateAndGet(n -> Math.max(0, n - 1));
    }

    /** Ends the process with {@code status}, the kernel's own way out: never refused. */
    public static void exit(int status) {
        exiting = Thread.currentThread();
        Runtime.getRuntime().exit(status);
    }

    /** Ends the process at once, without shutdown hooks: never refused. */
    public static void halt(int status) {
        exiting = Thread.currentThread();
        Runtime.getRuntime().halt(status);
    }

    /** Called by {@link ExitHook} first thing in {@code Runtime.exit} and {@code Runtime.halt}. */
    static void check(String method, int status) {
        if (OPEN_SESSIONS.get() == 0 || Thread.currentThread() == exiting) return;
        SystemExit refused = new SystemExit(caller(method), status);
        OutputRoute route = OutputRoute.current();
        if (route != null) {
            synchronized (REFUSED) {
                REFUSED.put(route, refused);
            }
        }
        throw refused;
    }

    /** The exit call refused in the cell with this route (its thread or one it started), or null; forgets it. */
    public static SystemExit takeRefused(OutputRoute route) {
        synchronized (REFUSED) {
            return REFUSED.remove(route);
        }
    }

    /** "System.exit", "Runtime.exit" or "Runtime.halt", as the code that ends here called it. */
    private static String caller(String method) {
        if (method.equals("halt")) return "Runtime.halt";
        boolean viaSystem = StackWalker.getInstance().walk(frames -> frames.limit(8)
                .anyMatch(f -> f.getClassName().equals("java.lang.System") && f.getMethodName().equals("exit")));
        return viaSystem ? "System.exit" : "Runtime.exit";
    }
}
