package yardstick.magics.rag;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import yardstick.kernel.magic.Environment;

/**
 * Entry point from Java: {@code Rag.open("docs").search("query")}. A bare name lives under
 * {@code ~/.yardstick/indices/NAME} (or {@code $YARDSTICK_HOME/indices}); a path (with a slash, or starting with
 * {@code .} or {@code ~}) is used as the index folder itself.
 */
public final class Rag {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Map<Path, RagIndex> OPEN = new ConcurrentHashMap<>();

    private Rag() {}

    /** A handle on the named index (it need not exist yet: build it with {@link RagIndex#build}). */
    public static RagIndex open(String nameOrPath) {
        return open(nameOrPath, workingDirectory());
    }

    /** Relative paths mean the notebook's folder in a notebook, the process's elsewhere. */
    static Path workingDirectory() {
        try {
            return yardstick.kernel.Session.active().workingDirectory();
        } catch (IllegalStateException noNotebook) {
            return Path.of("").toAbsolutePath();
        }
    }

    /** As {@link #open(String)}, with a relative path resolved against {@code base} (the notebook's folder). */
    public static RagIndex open(String nameOrPath, Path base) {
        Path dir = directory(nameOrPath, base);
        return OPEN.computeIfAbsent(dir, d -> new RagIndex(nameOrPath, d));
    }

    static Path directory(String nameOrPath, Path base) {
        if (nameOrPath == null || nameOrPath.isBlank()) throw new RagException("an index needs a name");
        String s = nameOrPath.strip();
        if (s.startsWith("~/")) return Path.of(System.getProperty("user.home"), s.substring(2)).normalize();
        if (s.contains("/") || s.startsWith(".")) return base.resolve(s).toAbsolutePath().normalize();
        if (!NAME.matcher(s).matches()) {
            throw new RagException("bad index name '" + s + "': use letters, digits, '.', '_' and '-', or a path");
        }
        return home().resolve("indices").resolve(s);
    }

    /** The Yardstick home, as everything else resolves it. */
    static Path home() {
        return yardstick.kernel.cli.Paths.home();
    }
}
