package yardstick.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.kernel.bench.Bench;

class BenchmarksTest {
    /** A benchmark that a test's own class path registers. */
    public static final class Echo implements Bench {
        static final List<List<String>> RUNS = new ArrayList<>();

        @Override
        public String name() {
            return "echo";
        }

        @Override
        public String arguments() {
            return "[WORDS]";
        }

        @Override
        public String summary() {
            return "says its arguments";
        }

        @Override
        public int run(List<String> args) {
            RUNS.add(args);
            return 7;
        }
    }

    @Test
    void benchmarksAreFoundAsServicesNotByClassName(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(Bench.class.getName()), Echo.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Map<String, Bench> found = Benchmarks.found(loader);
            assertEquals(List.of("echo"), List.copyOf(found.keySet()));
            assertEquals(7, found.get("echo").run(List.of("a", "b")));
            assertEquals(List.of("a", "b"), Echo.RUNS.getLast());
            String usage = Benchmarks.usage(found);
            assertTrue(usage.contains("echo [WORDS]") && usage.contains("says its arguments"), usage);
        }
    }

    @Test
    void withoutTheBenchModuleTheCommandFailsAndSaysWhy() throws Exception {
        // The kernel's own class path holds no benchmarks: they live in the bench module.
        assertTrue(Benchmarks.found(getClass().getClassLoader()).isEmpty());
        assertEquals(2, Benchmarks.run(List.of("eval")));
    }
}
