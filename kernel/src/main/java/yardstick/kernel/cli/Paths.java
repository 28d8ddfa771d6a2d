package yardstick.kernel.cli;

import java.nio.file.Path;
import yardstick.kernel.magic.Environment;

/**
 * Where Yardstick keeps per-user state (history, start-up caches, tracker database, model cache): the system property
 * {@code yardstick.home}, else {@code YARDSTICK_HOME} as the notebook sees it, else {@code ~/.yardstick}. The
 * property exists because a JVM cannot change its own environment: tests and embedders set it instead.
 */
public final class Paths {
    public static final String PROPERTY = "yardstick.home";

    private Paths() {}

    public static Path home() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) return Path.of(p);
        String e = Environment.shared().get("YARDSTICK_HOME");
        if (e != null && !e.isBlank()) return Path.of(e);
        return Path.of(System.getProperty("user.home"), ".yardstick");
    }
}
