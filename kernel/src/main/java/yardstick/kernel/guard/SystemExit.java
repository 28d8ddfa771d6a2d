package yardstick.kernel.guard;

/**
 * Thrown where a cell (or code it called) asked the JVM to exit: the kernel refuses and keeps running. An
 * {@link Error}, so {@code catch (Exception e)} around library code does not swallow it.
 */
public final class SystemExit extends Error {
    private final int status;

    SystemExit(String call, int status) {
        super(call + "(" + status + ") was called; the kernel keeps running");
        this.status = status;
        StackTraceElement[] frames = getStackTrace();
        int from = 0;
        // Start the trace at the caller's frames: the guard's own frames say nothing to the person.
        while (from < frames.length && (frames[from].getClassName().startsWith(SystemExit.class.getPackageName() + ".")
                || frames[from].getClassName().equals("java.lang.Runtime"))) {
            from++;
        }
        setStackTrace(java.util.Arrays.copyOfRange(frames, from, frames.length));
    }

    /** The status the cell asked to exit with. */
    public int status() {
        return status;
    }
}
