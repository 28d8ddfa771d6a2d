package yardstick.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import yardstick.kernel.protocol.Json;

/**
 * A Python suite that drives the kernel through the real {@code jupyter_client}: installs the kernelspec (with the
 * calling test's class path) into a temporary prefix, runs the script with Debian's Python, and reports each Python
 * test case as one JUnit test, failing with the Python message. The kernel's {@code src/test/python} is on the
 * script's PYTHONPATH, so other modules' suites reuse its {@code Kernel} client. Needs {@code /usr/bin/python3} with
 * jupyter_client, pyzmq and nbconvert (apt: jupyter-client jupyter-nbconvert python3-nbclient), as {@code .ci/run}
 * installs.
 */
public final class PythonSuite {
    private static final String PYTHON = System.getenv().getOrDefault("YARDSTICK_TEST_PYTHON", "/usr/bin/python3");

    private PythonSuite() {}

    /** Runs {@code script} (relative to the calling module) in {@code tmp}, allowing it {@code minutes}. */
    public static Stream<DynamicNode> run(Path tmp, String script, long minutes) throws Exception {
        Path prefix = tmp.resolve("prefix");
        install(prefix, tmp.resolve("install.log"));

        Path results = tmp.resolve("results.jsonl");
        Path log = tmp.resolve("python.log");
        ProcessBuilder pb = new ProcessBuilder(PYTHON, moduleDir().resolve(script).toString(), "--results", results.toString())
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("JUPYTER_PATH", prefix.resolve("share/jupyter").toString());
        env.put("JUPYTER_RUNTIME_DIR", dir(tmp.resolve("runtime")).toString());
        env.put("JUPYTER_CONFIG_DIR", dir(tmp.resolve("config")).toString());
        env.put("YARDSTICK_HOME", dir(tmp.resolve("home")).toString());  // history stays out of the real home
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("PYTHONPATH", moduleDir().resolveSibling("kernel").resolve("src/test/python").toString());
        env.put("TMPDIR", tmp.toString());  // the script's kernel logs and notebooks go where JUnit cleans up
        env.remove("JAVA_TOOL_OPTIONS");
        Process python;
        try {
            python = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + PYTHON + " (install jupyter-client, jupyter-nbconvert and"
                    + " python3-nbclient): " + e.getMessage(), e);
        }
        boolean finished = python.waitFor(minutes, TimeUnit.MINUTES);
        if (!finished) {
            python.descendants().forEach(ProcessHandle::destroyForcibly);
            python.destroyForcibly().waitFor();
        }
        int exit = finished ? python.exitValue() : -1;
        String output = Files.readString(log, StandardCharsets.UTF_8);

        List<JsonNode> cases = readResults(results);
        boolean aCaseFailed = cases.stream().anyMatch(r -> !"pass".equals(r.path("status").asText()));
        List<DynamicNode> nodes = new ArrayList<>();
        for (JsonNode r : cases) {
            String name = r.path("name").asText();
            String status = r.path("status").asText();
            String message = r.path("message").asText();
            nodes.add(dynamicTest(name, () -> {
                if (!"pass".equals(status)) fail(name + ": " + status + "\n" + message);
            }));
        }
        nodes.add(dynamicTest("python suite finished", () -> {
            assertTrue(finished, "the Python suite ran past " + minutes + " minutes:\n" + tail(output));
            assertFalse(cases.isEmpty(), "the Python suite reported no cases:\n" + tail(output));
            // A failing case fails its own test above; only a failure no case explains (a crash) is reported here.
            if (!aCaseFailed) assertEquals(0, exit, "the Python suite failed (exit " + exit + "):\n" + tail(output));
        }));
        return nodes.stream();
    }

    /** Runs {@code yardstick install --prefix} in a fresh JVM with this test's class path, as a user would. */
    static void install(Path prefix, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", testClassPath(), "yardstick.kernel.cli.Main", "install",
                "--prefix", prefix.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("yardstick install did not finish");
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "yardstick install failed:\n" + out);
        Path spec = prefix.resolve("share/jupyter/kernels/yardstick/kernel.json");
        if (!Files.isRegularFile(spec)) fail("no kernelspec at " + spec + ":\n" + out);
    }

    /** The script's results, one per Python test case (name ClassName.test_name, status, message), in run order. */
    private static List<JsonNode> readResults(Path results) throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        if (!Files.exists(results)) return cases;
        for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) cases.add(Json.MAPPER.readTree(line));
        }
        return cases;
    }

    private static String testClassPath() {
        // Surefire puts the test class path on java.class.path (useManifestOnlyJar is off in the parent POM).
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> abs = new ArrayList<>();
        for (String p : cp.split(File.pathSeparator)) if (!p.isBlank()) abs.add(Path.of(p).toAbsolutePath().toString());
        return String.join(File.pathSeparator, abs);
    }

    private static Path moduleDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    private static Path dir(Path p) throws IOException {
        return Files.createDirectories(p);
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : "...\n" + s.substring(s.length() - 6000);
    }
}
