package yardstick.kernel.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

/** JVM options for a kernel process. */
final class Jvm {
    private Jvm() {}

    /**
     * Flags for a fast start: a class-data-sharing archive that the JVM creates on first run and reuses after, keyed
     * by the class path so a rebuild gets a fresh one; plus the flags the libraries want.
     */
    static List<String> kernelFlags() {
        List<String> flags = new ArrayList<>();
        String cp = Install.absoluteClassPath();
        // The JVM archives classes only from jars: a class directory on the path (a development build) rules it out.
        if (Arrays.stream(cp.split(File.pathSeparator)).allMatch(p -> p.endsWith(".jar"))) {
            String key = Integer.toHexString((cp + Runtime.version()).hashCode());
            Path archive = Paths.home().resolve("cds").resolve("kernel-" + key + ".jsa");
            archive.getParent().toFile().mkdirs();
            flags.add("-XX:SharedArchiveFile=" + archive);
            flags.add("-XX:+AutoCreateSharedArchive");
        }
        flags.add("--enable-native-access=ALL-UNNAMED");
        flags.add("-Djava.awt.headless=true");
        if (Runtime.version().feature() >= 24) flags.add("--sun-misc-unsafe-memory-access=allow");
        return flags;
    }
}
