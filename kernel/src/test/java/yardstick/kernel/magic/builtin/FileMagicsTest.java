package yardstick.kernel.magic.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.kernel.eval.Outcome;

/** %load and %classpath, with files relative to the notebook's directory. */
class FileMagicsTest {
    @TempDir
    static Path dir;
    static TestNotebook nb;

    @BeforeAll
    static void start() {
        nb = new TestNotebook(dir);
    }

    @AfterAll
    static void stop() {
        nb.close();
    }

    @Test
    void loadRunsAFileAsACell() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/helpers.jsh"),
                "int twice(int x) { return 2 * x; }\nrecord Point(int x, int y) {}\n%env LOADED_BY_FILE=yes\ntwice(21)\n");
        assertEquals(42, nb.ok("%load src/helpers.jsh"));
        assertEquals("Point[x=1, y=2]", nb.ok("new Point(1, 2).toString()"));
        assertEquals(8, nb.ok("twice(4)"));
        assertEquals("yes", nb.ok("env(\"LOADED_BY_FILE\")"), "magics in the file run too");
    }

    @Test
    void loadFailsWithTheFilesErrorOrAMissingPath() throws Exception {
        Files.writeString(dir.resolve("broken.jsh"), "int ok = 1;\nthrow new IllegalStateException(\"from file\");\n");
        Outcome o = nb.run("%load broken.jsh");
        assertEquals("IllegalStateException", o.error().ename());
        assertEquals("from file", o.error().evalue());
        String tb = nb.fails("%load missing/nothing.jsh");
        assertTrue(tb.startsWith("MagicError: %load: no such file: " + dir.toAbsolutePath().resolve("missing/nothing.jsh")),
                tb);
        assertTrue(nb.fails("%load a b").contains("needs exactly one file"));
    }

    @Test
    void classpathAddsJarsByGlobAndClassDirectories() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        TestJars.jar(lib.resolve("greeter.jar"), "demo.greet.Greeter",
                "package demo.greet; public class Greeter { public static String hi() { return \"hi from jar\"; } }");
        TestJars.jar(lib.resolve("adder.jar"), "demo.add.Adder",
                "package demo.add; public class Adder { public static int add(int a, int b) { return a + b; } }");
        Files.writeString(lib.resolve("notes.txt"), "not a jar");
        Path classes = TestJars.compile(dir.resolve("classes"), "demo.dir.FromDir",
                "package demo.dir; public class FromDir { public static String where() { return \"dir\"; } }");

        nb.ok("%classpath lib/*.jar classes");
        String out = nb.out();
        assertTrue(out.contains(lib.resolve("adder.jar").toString()), out);
        assertTrue(out.contains(lib.resolve("greeter.jar").toString()), out);
        assertTrue(out.contains(classes.toString()), out);
        assertFalse(out.contains("notes.txt"), out);
        assertEquals("hi from jar", nb.ok("demo.greet.Greeter.hi()"));
        assertEquals(5, nb.ok("demo.add.Adder.add(2, 3)"));
        assertEquals("dir", nb.ok("demo.dir.FromDir.where()"));
    }

    @Test
    void classpathRejectsMissingPathsAndEmptyGlobs() throws Exception {
        String tb = nb.fails("%classpath nowhere/x.jar");
        assertTrue(tb.contains("%classpath: no such file or directory: " + dir.resolve("nowhere/x.jar")), tb);
        Files.createDirectories(dir.resolve("empty"));
        assertTrue(nb.fails("%classpath empty/*.jar").contains("nothing matches empty/*.jar"));
        assertTrue(nb.fails("%classpath").contains("needs at least one path"));
    }

    @Test
    void globsStayInOneDirectoryUnlessDoubleStar() throws Exception {
        Path deep = Files.createDirectories(dir.resolve("g/a/b"));
        Files.writeString(deep.resolve("x.jar"), "");
        Files.writeString(dir.resolve("g/y.jar"), "");
        assertEquals(List.of(dir.resolve("g/y.jar")), ClasspathMagic.expand(dir, "g/*.jar"));
        assertEquals(List.of(deep.resolve("x.jar")), ClasspathMagic.expand(dir, "g/**/*.jar"));
    }
}
