package yardstick.kernel.magic.builtin;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %classpath PATH...}: makes jars and class directories usable from later cells. */
public final class ClasspathMagic implements Magic {
    @Override
    public String name() {
        return "classpath";
    }

    @Override
    public String usage() {
        return "%classpath PATH... (jars or class directories; globs such as lib/*.jar)";
    }

    @Override
    public String help() {
        return "Adds jars and directories of classes to the classpath of later cells. Relative paths resolve against "
                + "the notebook's directory; a glob (*, ?, [..], {a,b}, ** for any depth) adds every match.";
    }

    @Override
    public Object run(MagicCall call) throws MagicException {
        if (call.words().isEmpty()) throw new MagicException("needs at least one path");
        Path base = call.context().workingDirectory();
        List<Path> found = new ArrayList<>();
        for (String word : call.words()) found.addAll(expand(base, word));
        StringBuilder out = new StringBuilder("Added to the classpath:\n");
        for (Path p : found) {
            call.context().addToClasspath(p);
            out.append("  ").append(p).append('\n');
        }
        System.out.print(out);
        return null;
    }

    /** The existing paths a word names: itself, or every match of its glob, sorted. */
    static List<Path> expand(Path base, String word) throws MagicException {
        Path path = base.resolve(word).normalize();
        if (!isGlob(word)) {
            if (!Files.exists(path)) throw new MagicException("no such file or directory: " + path);
            return List.of(path);
        }
        Path root = path.getRoot() == null ? base : path.getRoot();
        int fixed = 0;
        while (fixed < path.getNameCount() && !isGlob(path.getName(fixed).toString())) fixed++;
        Path dir = fixed == 0 ? root : root.resolve(path.subpath(0, fixed));
        boolean deep = word.contains("**");
        int depth = deep ? Integer.MAX_VALUE : path.getNameCount() - fixed;
        // The glob is matched against whole absolute paths, so '*' stays within one directory level.
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + path.toString().replace("\\", "\\\\"));
        if (!Files.isDirectory(dir)) throw new MagicException("no such directory: " + dir + " (in " + word + ")");
        try (Stream<Path> s = Files.walk(dir, depth)) {
            List<Path> matches = s.filter(matcher::matches).sorted().toList();
            if (matches.isEmpty()) throw new MagicException("nothing matches " + word + " in " + base);
            return matches;
        } catch (IOException e) {
            throw new MagicException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isGlob(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }
}
