package yardstick.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HomeTest {
    private final String saved = System.getProperty(YardstickNames.HOME_PROPERTY);

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(YardstickNames.HOME_PROPERTY);
        } else {
            System.setProperty(YardstickNames.HOME_PROPERTY, saved);
        }
    }

    @Test
    void propertyThenEnvironmentThenUserHome() {
        System.clearProperty(YardstickNames.HOME_PROPERTY);
        assertEquals(Path.of(System.getProperty("user.home"), ".yardstick"), Home.resolve(Map.<String, String>of()::get));
        assertEquals(Path.of("/data/ys"), Home.resolve(Map.of("YARDSTICK_HOME", "/data/ys")::get));
        assertEquals(Path.of(System.getProperty("user.home"), ".yardstick"), Home.resolve(Map.of("YARDSTICK_HOME", " ")::get));
        System.setProperty(YardstickNames.HOME_PROPERTY, "/tmp/prop-home");
        assertEquals(Path.of("/tmp/prop-home"), Home.resolve(Map.of("YARDSTICK_HOME", "/data/ys")::get));
    }
}
