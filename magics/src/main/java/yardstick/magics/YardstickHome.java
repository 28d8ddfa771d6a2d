package yardstick.magics;

import java.nio.file.Path;
import yardstick.kernel.cli.Paths;
import yardstick.kernel.magic.Environment;

/** Where Yardstick keeps its state (tracker database, response cache, models.yaml, buffered logs): see {@link Paths}. */
public final class YardstickHome {
    public static final String PROPERTY = Paths.PROPERTY;

    private YardstickHome() {}

    public static Path resolve() {
        return Paths.home();
    }

    /** An environment variable as the notebook sees it, with an empty value read as unset. */
    public static String env(String name) {
        String v = Environment.shared().get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
