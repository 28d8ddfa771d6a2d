package yardstick.common;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where Yardstick keeps per-user state (tracker store, history, caches, jobs): the system property
 * {@code yardstick.home}, else {@code YARDSTICK_HOME}, else {@code ~/.yardstick}. The kernel, the magics and
 * {@code yardstick tracker} all resolve it here, so they open the same store.
 */
public final class Home {
    private Home() {}

    /** @param env reads an environment variable (the kernel passes the notebook's, with {@code %env} applied) */
    public static Path resolve(Function<String, String> env) {
        String p = System.getProperty(YardstickNames.HOME_PROPERTY);
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String e = env.apply(YardstickNames.HOME_ENV);
        if (e != null && !e.isBlank()) {
            return Path.of(e);
        }
        return Path.of(System.getProperty("user.home"), YardstickNames.HOME_FOLDER);
    }

    /** From this process's environment. */
    public static Path resolve() {
        return resolve(System::getenv);
    }
}
