package yardstick.magics.rag.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import yardstick.magics.rag.RagException;

/**
 * Resolves what to index: files, directories (every non-hidden file below them) and globs ({@code docs/**.md}),
 * relative to a base directory. Each file gets an id: its path relative to the base, with forward slashes, or its
 * absolute path when outside the base.
 */
public final class Inputs {
    private Inputs() {}

    /** Id to file, sorted by id; a path that does not exist or a glob that matches nothing is an error. */
    public static Map<String, Path> resolve(Path base, List<String> patterns) {
        if (patterns.isEmpty()) throw new RagException("nothing to index: give at least one file, folder or glob");
        Path root = base.toAbsolutePath().normalize();
        Map<String, Path> files = new TreeMap<>();
        for (String pattern : patterns) {
            int before = files.size();
            if (isGlob(pattern)) glob(root, pattern, files);
            else path(root, pattern, files);
            if (files.size() == before && isGlob(pattern)) throw new RagException("no files match " + pattern);
        }
        return files;
    }

    private static void path(Path root, String name, Map<String, Path> files) {
        Path p = root.resolve(name).normalize();
        if (Files.isDirectory(p)) {
            walk(p, f -> true, root, files);
        } else if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            files.put(id(root, p), p);
        } else {
            throw new RagException("no such file or folder: " + name);
        }
    }

    private static void glob(Path root, String pattern, Map<String, Path> files) {
        Path p = Path.of(pattern);
        Path absolute = (p.isAbsolute() ? p : root.resolve(p)).normalize();
        // Walk from the deepest folder that has no wildcard in it.
        Path dir = p.isAbsolute() ? p.getRoot() : root;
        for (Path name : p) {
            if (isGlob(name.toString())) break;
            dir = dir.resolve(name);
        }
        if (!Files.isDirectory(dir)) return;
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + absolute);
        walk(dir.normalize(), m::matches, root, files);
    }

    private static void walk(Path dir, PathMatcher accept, Path root, Map<String, Path> files) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> !p.equals(dir) && !hidden(dir, p) && !Files.isDirectory(p) && accept.matches(p))
                    .forEach(p -> files.put(id(root, p), p));
        } catch (IOException e) {
            throw new RagException("cannot list " + dir + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new RagException("cannot list " + dir + ": " + e.getCause().getMessage(), e);
        }
    }

    /** Dot files and dot folders (.git, .ipynb_checkpoints) under the walked folder are not documents. */
    private static boolean hidden(Path dir, Path p) {
        for (Path name : dir.relativize(p)) if (name.toString().startsWith(".")) return true;
        return false;
    }

    static String id(Path root, Path file) {
        Path f = file.toAbsolutePath().normalize();
        return f.startsWith(root) ? root.relativize(f).toString().replace('\\', '/') : f.toString();
    }

    public static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }
}
