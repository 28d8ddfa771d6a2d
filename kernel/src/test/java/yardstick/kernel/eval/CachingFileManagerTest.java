package yardstick.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.StreamSupport;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingFileManagerTest {
    @TempDir
    Path tmp;

    @Test
    void aJarOnlyClassPathIsListedOnceUntilTheClassPathChanges() throws IOException {
        Path jar = jar("lib.jar", "demo.Alpha", "package demo; public class Alpha {}");
        try (CachingFileManager fm = new CachingFileManager(
                ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, null))) {
            fm.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of(jar));
            Iterable<JavaFileObject> first = list(fm);
            assertEquals(List.of("demo.Alpha"), names(fm, first));
            assertSame(first, list(fm), "the second listing comes from the cache");

            Path classes = compile(tmp.resolve("classes"), "demo.Beta", "package demo; public class Beta {}");
            fm.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of(jar, classes));
            assertEquals(List.of("demo.Alpha", "demo.Beta"), names(fm, list(fm)));
        }
    }

    @Test
    void aMultiReleaseJarIsReadAsThisReleaseAsJavacReadsIt() throws IOException {
        Path base = compile(tmp.resolve("mr-base"), "demo.Multi", "package demo; public class Multi { public static int base() { return 1; } }");
        Path v21 = compile(tmp.resolve("mr-21"), "demo.Multi",
                "package demo; public class Multi { public static int base() { return 1; } public static int newer() { return 21; } }");
        Path jar = tmp.resolve("multi.jar");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Multi-Release", "true");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os, manifest)) {
            j.putNextEntry(new JarEntry("demo/Multi.class"));
            Files.copy(base.resolve("demo/Multi.class"), j);
            j.putNextEntry(new JarEntry("META-INF/versions/21/demo/Multi.class"));
            Files.copy(v21.resolve("demo/Multi.class"), j);
        }
        try (JavaEvaluator eval = new JavaEvaluator(jar.toString(), List.of(), List.of())) {
            Outcome o = eval.evaluate("demo.Multi.newer()", JavaEvaluator.Location.CELL);
            assertTrue(o.ok(), () -> "the class of release 21 is the one compiled against: " + o.error());
            assertEquals("21", o.value().toString());
        }
    }

    @Test
    void aDirectoryOnTheClassPathIsListedAfreshEachTime() throws IOException {
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        try (CachingFileManager fm = new CachingFileManager(
                ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, null))) {
            fm.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of(classes));
            Iterable<JavaFileObject> empty = list(fm);
            assertEquals(List.of(), names(fm, empty));
            compile(classes, "demo.Beta", "package demo; public class Beta {}");
            Iterable<JavaFileObject> later = list(fm);
            assertNotSame(empty, later);
            assertEquals(List.of("demo.Beta"), names(fm, later));
        }
    }

    @Test
    void classesAddedToTheClassPathBetweenCellsAreSeen() throws IOException {
        Path base = jar("base.jar", "base.Base", "package base; public class Base { public static int one() { return 1; } }");
        Path later = jar("later.jar", "demo.Alpha", "package demo; public class Alpha { public static int two() { return 2; } }");
        Path classes = tmp.resolve("classes");
        try (JavaEvaluator eval = new JavaEvaluator(base.toString(), List.of(), List.of())) {
            assertEquals("1", eval.evaluate("base.Base.one()", JavaEvaluator.Location.CELL).value().toString());
            assertFalse(eval.evaluate("demo.Alpha.two()", JavaEvaluator.Location.CELL).ok());
            eval.addToClasspath(later.toString());
            assertEquals("2", eval.evaluate("demo.Alpha.two()", JavaEvaluator.Location.CELL).value().toString());

            compile(classes, "demo.Gamma", "package demo; public class Gamma { public static int three() { return 3; } }");
            eval.addToClasspath(classes.toString());
            Outcome o = eval.evaluate("demo.Gamma.three()", JavaEvaluator.Location.CELL);
            assertTrue(o.ok(), () -> "a class in an added directory, in a package already listed, compiles: " + o.error());
            assertEquals("3", o.value().toString());
        }
    }

    @Test
    void aJarIsListedFromItsIndexAsJavacWouldListIt() throws IOException {
        Path jar = jar("nested.jar", "demo.inner.Delta", "package demo.inner; public class Delta { public static class In {} }");
        try (OutputStream os = Files.newOutputStream(tmp.resolve("extra.jar")); JarOutputStream j = new JarOutputStream(os)) {
            j.putNextEntry(new JarEntry("demo/Source.java"));
            j.write("package demo; public class Source {}".getBytes());
            j.closeEntry();
            j.putNextEntry(new JarEntry("META-INF/versions/21/demo/Alpha.class"));
            j.closeEntry();
        }
        try (CachingFileManager fm = new CachingFileManager(
                ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, null))) {
            fm.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of(jar, tmp.resolve("extra.jar")));
            assertEquals(List.of(), names(fm, list(fm)), "demo itself holds no class, and META-INF is not a package");
            Iterable<JavaFileObject> all = fm.list(StandardLocation.CLASS_PATH, "demo",
                    Set.of(JavaFileObject.Kind.CLASS, JavaFileObject.Kind.SOURCE), true);
            assertEquals(List.of("demo.Source", "demo.inner.Delta", "demo.inner.Delta$In"), names(fm, all));
            JavaFileObject delta = StreamSupport.stream(all.spliterator(), false)
                    .filter(f -> f.isNameCompatible("Delta", JavaFileObject.Kind.CLASS)).findFirst().orElseThrow();
            try (var in = delta.openInputStream()) {
                assertEquals(0xCAFEBABE, new java.io.DataInputStream(in).readInt(), "the entry reads as the class file");
            }
            for (JavaFileObject f : fm.list(StandardLocation.CLASS_PATH, "demo.inner", Set.of(JavaFileObject.Kind.CLASS), false)) {
                assertEquals(f.isNameCompatible("Delta", JavaFileObject.Kind.CLASS), fm.isSameFile(delta, f), f.getName());
            }
            assertTrue(fm.contains(StandardLocation.CLASS_PATH, delta));
        }
    }

    private static Iterable<JavaFileObject> list(CachingFileManager fm) throws IOException {
        return fm.list(StandardLocation.CLASS_PATH, "demo", Set.of(JavaFileObject.Kind.CLASS), false);
    }

    private static List<String> names(CachingFileManager fm, Iterable<JavaFileObject> files) {
        return StreamSupport.stream(files.spliterator(), false)
                .map(f -> fm.inferBinaryName(StandardLocation.CLASS_PATH, f)).sorted().toList();
    }

    private Path compile(Path out, String className, String source) throws IOException {
        Path src = tmp.resolve("src-" + className).resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Files.createDirectories(out);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(), src.toString());
        if (rc != 0) throw new IllegalStateException("javac failed for " + className);
        return out;
    }

    private Path jar(String name, String className, String source) throws IOException {
        Path classes = compile(tmp.resolve("classes-" + name), className, source);
        Path jar = tmp.resolve(name);
        List<Path> files = new ArrayList<>();
        try (var walk = Files.walk(classes)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os)) {
            for (Path f : files) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return jar;
    }
}
