package yardstick.common;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags our libraries ask for, given to every Yardstick JVM we start (kernels, the home's tracker): native
 * access for SQLite, ONNX Runtime and PyTorch; headless AWT for charts; and on JDK 24 and later, no warning when a
 * library (Lucene, Netty) uses {@code sun.misc.Unsafe}'s memory access. The {@code yardstick} launcher gives the same.
 */
public final class JvmFlags {
    private JvmFlags() {}

    public static List<String> libraries() {
        List<String> flags = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true"));
        if (Runtime.version().feature() >= 24) flags.add("--sun-misc-unsafe-memory-access=allow");
        return flags;
    }
}
