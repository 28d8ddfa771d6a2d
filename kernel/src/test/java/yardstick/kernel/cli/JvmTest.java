package yardstick.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JvmTest {
    @Test
    void kernelsStartWithTheVectorModuleSoLuceneDoesNotWarnInACell() {
        assertTrue(Jvm.kernelFlags(null).contains("--add-modules=jdk.incubator.vector"), Jvm.kernelFlags(null).toString());
    }
}
