package yardstick.kernel.protocol;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Kernel diagnostics: to the process's own stderr (which Jupyter keeps in its log), never into a notebook. */
public final class Log {
    /**
     * The process's file descriptor 2 rather than {@code System.err}: once a session runs, System.err routes to the
     * latest cell, so a warning logged after that (this class loads lazily) would appear in the notebook instead.
     */
    private static final PrintStream ERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    private Log() {}

    public static void warn(String message) {
        ERR.println("[yardstick] " + message);
        ERR.flush();
    }
}
