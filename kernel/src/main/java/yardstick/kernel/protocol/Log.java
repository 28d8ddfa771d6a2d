package yardstick.kernel.protocol;

import java.io.PrintStream;

/** Kernel diagnostics: to the process's own stderr (which Jupyter keeps in its log), never into a notebook. */
public final class Log {
    private static final PrintStream ERR = System.err;

    private Log() {}

    public static void warn(String message) {
        ERR.println("[yardstick] " + message);
        ERR.flush();
    }
}
