package yardstick.magics;

import java.nio.file.Path;
import yardstick.kernel.magic.Environment;

/**
 * Where Yardstick keeps its state (tracker database, response cache, models.yaml, buffered logs): the system property
 * {@code yardstick.home}, else {@code YARDSTICK_HOME} as the notebook sees it, else {@code ~/.yardstick}. The
 * property exists because a JVM cannot change its own environment: tests and embedders set it instead.
 */
public final class YardstickHome {
    public static final String PROPERTY = "yardstick.home";

    private YardstickHome() {}

    public static Path resolve() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) return Path.of(p);
        String e = Environment.shared().get("YARDSTICK_HOME");
        if (e != null && !e.isBlank()) return Path.of(e);
        return Path.of(System.getProperty("user.home"), ".yardstick");
    }

    /** An environment variable as the notebook sees it, with an empty value read as unset. */
    public static String env(String name) {
        String v = Environment.shared().get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
