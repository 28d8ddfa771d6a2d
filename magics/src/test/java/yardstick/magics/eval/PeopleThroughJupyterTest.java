package yardstick.magics.eval;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import yardstick.kernel.PythonSuite;

/**
 * {@code %rate} and {@code %arena} through the real {@code jupyter_client}: widgets driven by comm messages, stdin
 * prompts answered on the stdin channel, and the answers file where a front end offers neither
 * ({@code src/test/python/test_people_e2e.py}).
 */
class PeopleThroughJupyterTest {
    @TestFactory
    Stream<DynamicNode> peopleInTheLoopThroughJupyterClient(@TempDir Path tmp) throws Exception {
        return PythonSuite.run(tmp, "src/test/python/test_people_e2e.py", 6);
    }
}
