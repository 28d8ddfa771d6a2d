package yardstick.kernel.cli;

import java.nio.file.Path;

/** Where Yardstick keeps per-user state: {@code $YARDSTICK_HOME}, else {@code ~/.yardstick}. */
public final class Paths {
    private Paths() {}

    public static Path home() {
        String h = System.getenv("YARDSTICK_HOME");
        return h != null && !h.isBlank() ? Path.of(h) : Path.of(System.getProperty("user.home"), ".yardstick");
    }
}
