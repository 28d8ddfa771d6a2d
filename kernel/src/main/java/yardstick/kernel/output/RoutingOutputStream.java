package yardstick.kernel.output;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** System.out or System.err for the whole JVM, installed once: each write goes to the writing thread's route. */
public final class RoutingOutputStream extends OutputStream {
    private final String name;
    private final PrintStream fallback;

    private RoutingOutputStream(String name, PrintStream fallback) {
        this.name = name;
        this.fallback = fallback;
    }

    /** Replaces System.out and System.err with routing streams; idempotent. */
    public static synchronized void install() {
        if (System.out instanceof Routed) return;
        System.setOut(new Routed(new RoutingOutputStream("stdout", System.out)));
        System.setErr(new Routed(new RoutingOutputStream("stderr", System.err)));
        System.setIn(new RoutingInputStream());
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        OutputRoute route = OutputRoute.current();
        if (route == null) {
            fallback.write(b, off, len);
        } else {
            route.buffer(name).write(b, off, len);
        }
    }

    @Override
    public void flush() {
        if (OutputRoute.current() == null) fallback.flush();
    }

    /**
     * Marks the installed streams so a second install is a no-op. They serve every cell of the session, so a cell
     * cannot close them: close only flushes (a closed PrintStream would drop all later output without a word).
     */
    private static final class Routed extends PrintStream {
        Routed(OutputStream out) {
            super(out, true, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            flush();
        }
    }
}
