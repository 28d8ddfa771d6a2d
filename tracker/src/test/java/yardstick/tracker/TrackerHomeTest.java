package yardstick.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import yardstick.common.YardstickNames;

/** {@code yardstick tracker} opens the store of the home the kernel uses: YARDSTICK_HOME, not the user's home. */
class TrackerHomeTest {
    @Test
    void defaultsFollowTheYardstickHomeProperty() throws Exception {
        Path home = Files.createTempDirectory("yardstick-home-");
        String saved = System.getProperty(YardstickNames.HOME_PROPERTY);
        try {
            System.setProperty(YardstickNames.HOME_PROPERTY, home.toString());
            assertEquals("sqlite:" + home.resolve("tracker.db"), TrackerConfig.defaults().store());
            assertEquals(5000, TrackerConfig.defaults().port());
        } finally {
            if (saved == null) {
                System.clearProperty(YardstickNames.HOME_PROPERTY);
            } else {
                System.setProperty(YardstickNames.HOME_PROPERTY, saved);
            }
            TestFiles.deleteTree(home);
        }
    }

    @Test
    void theTrackerCommandOpensTheStoreUnderYardstickHome() throws Exception {
        Path home = Files.createTempDirectory("yardstick-home-");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "yardstick.tracker.TrackerMain",
                "--port", "0");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("YARDSTICK_HOME", home.toString());
        Process p = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.contains("listening on"));
            assertTrue(line != null && line.contains("store sqlite:" + home.resolve("tracker.db"))
                    && line.contains("artifacts " + home.resolve("artifacts")), String.valueOf(line));
            assertTrue(Files.isRegularFile(home.resolve("tracker.db")));
        } finally {
            p.destroyForcibly().waitFor();
            TestFiles.deleteTree(home);
        }
    }
}
