package yardstick.kernel.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import yardstick.common.JvmFlags;
import yardstick.kernel.guard.ExitAgent;

/** JVM options for a kernel process. */
final class Jvm {
    /** Lucene's vector search uses the Vector API when this module is readable, and otherwise warns in the cell. */
    static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    private Jvm() {}

    /**
     * Flags for a fast start plus the flags the libraries want. On JDK 25 and later the kernel maps an AOT cache
     * (classes loaded and linked ahead of time, with method profiles: JEPs 483, 514, 515) that {@link StartupCache}
     * makes by a training run; before JDK 25 it uses a dynamic class-data-sharing archive that the JVM creates on its
     * first run and reuses after. Either file is keyed by class path and JVM version, so a rebuild gets a fresh one.
     */
    static List<String> kernelFlags(Path exitAgent) {
        List<String> flags = new ArrayList<>();
        Path cache = startupCache(exitAgent);
        if (cache != null && aot()) {
            flags.add("-XX:AOTCache=" + cache);
        } else if (cache != null) {
            cache.getParent().toFile().mkdirs();  // the JVM writes the archive but makes no directories
            flags.add("-XX:SharedArchiveFile=" + cache);
            flags.add("-XX:+AutoCreateSharedArchive");
        }
        flags.add(VECTOR_MODULE);
        flags.addAll(JvmFlags.libraries());
        // Refuses System.exit and Runtime.halt in cells (yardstick.kernel.guard).
        if (exitAgent != null) flags.addAll(ExitAgent.jvmOptions(exitAgent));
        return flags;
    }

    /** True when this JVM makes AOT caches in one training run ({@code -XX:AOTCacheOutput}, JDK 25). */
    static boolean aot() {
        return Runtime.version().feature() >= 25;
    }

    /**
     * Where the startup cache of a kernel with this exit agent lives, or null when the class path rules one out. The
     * agent's jar is part of the key: it is on the boot class path, which a cache must match exactly.
     */
    static Path startupCache(Path exitAgent) {
        String cp = Install.absoluteClassPath();
        // The JVM archives classes only from jars: a class directory on the path (a development build) rules it out.
        if (!Arrays.stream(cp.split(File.pathSeparator)).allMatch(p -> p.endsWith(".jar"))) return null;
        String agent = exitAgent == null ? "" : File.pathSeparator + exitAgent.toAbsolutePath();
        String key = Integer.toHexString((cp + agent + Runtime.version()).hashCode());
        return Paths.home().resolve("cds").resolve("kernel-" + key + (aot() ? ".aot" : ".jsa")).toAbsolutePath();
    }
}
