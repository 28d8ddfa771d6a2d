package yardstick.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bytecode the kernel keeps of cell classes: what javac wrote, a new name for a changed class, and loadable elsewhere. */
class SnippetClassesTest {
    @Test
    void cellClassesAreKeptAsCompiledAndAChangedClassGetsANewName() throws Exception {
        try (JavaEvaluator eval = new JavaEvaluator(System.getProperty("java.class.path"), List.of(), List.of())) {
            assertTrue(eval.evaluate("class Twice { int f(int x) { while (x < 0) x++; return 2 * x; } }", JavaEvaluator.Location.CELL).ok());
            String first = only(eval.snippetClasses().all(), "$Twice");
            byte[] code = eval.snippetClasses().all().get(first);
            // No reference to the stop check JShell weaves into what it runs (a class that exists only in the kernel):
            // its name would be in the constant pool.
            assertFalse(new String(code, java.nio.charset.StandardCharsets.ISO_8859_1).contains("$Cancel$"));
            assertTrue(eval.evaluate("class Twice { int f(int x) { return 3 * x; } }", JavaEvaluator.Location.CELL).ok());
            String second = eval.snippetClasses().all().keySet().stream().filter(n -> n.endsWith("$Twice") && !n.equals(first))
                    .findFirst().orElseThrow(() -> new AssertionError("the changed class kept its name: " + eval.snippetClasses().all().keySet()));
            assertNotEquals(first, second);

            // The bytes define the class again in a loader of their own, as an executor's would.
            Map<String, byte[]> all = eval.snippetClasses().all();
            ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
                @Override
                protected Class<?> findClass(String name) throws ClassNotFoundException {
                    byte[] b = all.get(name);
                    if (b == null) throw new ClassNotFoundException(name);
                    return defineClass(name, b, 0, b.length);
                }
            };
            Class<?> twice = loader.loadClass(second);
            var ctor = twice.getDeclaredConstructor();
            ctor.setAccessible(true);
            var f = twice.getDeclaredMethod("f", int.class);
            f.setAccessible(true);
            assertEquals(21, f.invoke(ctor.newInstance(), 7));
        }
    }

    private static String only(Map<String, byte[]> classes, String suffix) {
        List<String> names = classes.keySet().stream().filter(n -> n.endsWith(suffix)).toList();
        assertEquals(1, names.size(), classes.keySet().toString());
        return names.get(0);
    }
}
