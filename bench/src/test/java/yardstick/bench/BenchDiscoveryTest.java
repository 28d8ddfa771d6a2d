package yardstick.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import yardstick.kernel.bench.Bench;

/** {@code yardstick bench NAME} finds every benchmark as a service of this module. */
class BenchDiscoveryTest {
    @Test
    void everyBenchmarkOfTheCommandLineIsAService() {
        TreeSet<String> names = new TreeSet<>();
        for (Bench b : ServiceLoader.load(Bench.class)) {
            assertTrue(names.add(b.name()), "one benchmark per name: " + b.name());
            assertTrue(!b.summary().isBlank(), b.name());
        }
        assertEquals(new TreeSet<>(List.of("eval", "finetune", "kernel", "rag", "review", "scifact")), names);
    }
}
