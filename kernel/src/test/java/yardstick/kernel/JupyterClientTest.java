package yardstick.kernel;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The kernel driven end to end by the real {@code jupyter_client}: {@code src/test/python/test_kernel_e2e.py}. */
class JupyterClientTest {
    @TestFactory
    Stream<DynamicNode> kernelThroughJupyterClient(@TempDir Path tmp) throws Exception {
        return PythonSuite.run(tmp, "src/test/python/test_kernel_e2e.py", 6);
    }
}
