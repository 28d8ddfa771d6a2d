package yardstick.kernel.magic.builtin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles one small class with javax.tools, into a class directory or a jar, for classpath tests. */
final class TestJars {
    private TestJars() {}

    /** Compiles {@code className} from {@code source} into {@code out} (a class directory), against {@code classpath}. */
    static Path compile(Path out, String className, String source, Path... classpath) throws IOException {
        Path src = Files.createTempDirectory("src").resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "21", "-d", out.toString()));
        if (classpath.length > 0) {
            args.add("-cp");
            args.add(String.join(java.io.File.pathSeparator, Stream.of(classpath).map(Path::toString).toList()));
        }
        args.add(src.toString());
        int rc = javac.run(null, null, null, args.toArray(String[]::new));
        if (rc != 0) throw new IllegalStateException("javac failed for " + className);
        return out;
    }

    /** Compiles one class and writes it as a jar. */
    static Path jar(Path jar, String className, String source, Path... classpath) throws IOException {
        Path classes = compile(Files.createTempDirectory("classes"), className, source, classpath);
        Files.createDirectories(jar.getParent());
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return jar;
    }
}
