package yardstick.kernel.cli;

import java.nio.file.Path;
import yardstick.kernel.magic.Environment;

/**
 * Where Yardstick keeps per-user state (history, start-up caches, tracker database, model cache): the system property
 * {@code yardstick.home}, else {@code YARDSTICK_HOME} as the notebook sees it, else {@code ~/.yardstick}. The
 * property exists because a JVM cannot change its own environment: tests and embedders set it instead.
 */
public final class Paths {
    public static final String PROPERTY = yardstick.common.YardstickNames.HOME_PROPERTY;

    private Paths() {}

    /** {@link yardstick.common.Home#resolve}, reading the environment as the notebook sees it. */
    public static Path home() {
        return yardstick.common.Home.resolve(Environment.shared()::get);
    }
}
