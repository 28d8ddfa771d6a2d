package yardstick.kernel;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel survives System.exit, a closed System.out, unreadable or huge requests and a dead front end, driven by
 * the real {@code jupyter_client}: {@code src/test/python/test_kernel_survives.py}.
 */
class KernelSurvivesTest {
    @TestFactory
    Stream<DynamicNode> kernelSurvivesThroughJupyterClient(@TempDir Path tmp) throws Exception {
        return PythonSuite.run(tmp, "src/test/python/test_kernel_survives.py", 5);
    }
}
