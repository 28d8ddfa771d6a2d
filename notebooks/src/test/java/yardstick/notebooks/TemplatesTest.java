package yardstick.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import yardstick.kernel.cli.Paths;
import yardstick.kernel.protocol.Json;
import yardstick.kernel.runner.NotebookRunner;
import yardstick.tracker.home.HomeTracker;

/** Executes every template headless, as `yardstick run` does, and checks the result is a valid notebook. */
class TemplatesTest {
    static final Path TEMPLATES = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    static final Path OUT = TEMPLATES.resolve("target/executed");
    static final Path HOME = TEMPLATES.resolve("target/yardstick-home");

    /** The templates log to their home's tracker, a process of its own as `yardstick run` starts it: stop it. */
    @AfterAll
    static void stopTracker() {
        HomeTracker.stop(HOME);
    }

    @TestFactory
    Stream<DynamicTest> everyTemplateRunsEndToEnd() throws Exception {
        Files.createDirectories(OUT);
        // The templates log runs and cache answers: keep that state in the build, not in the user's home.
        System.setProperty(Paths.PROPERTY, Files.createDirectories(HOME).toString());
        try (Stream<Path> files = Files.list(TEMPLATES)) {
            var templates = files.filter(p -> p.toString().endsWith(".ipynb") && !p.toString().endsWith(".out.ipynb"))
                    .sorted().toList();
            assertFalse(templates.isEmpty(), "no templates found in " + TEMPLATES);
            return templates.stream().map(t -> DynamicTest.dynamicTest(t.getFileName().toString(), () -> execute(t)));
        }
    }

    private static void execute(Path template) throws Exception {
        Path out = OUT.resolve(template.getFileName());
        NotebookRunner.Result r = NotebookRunner.run(template, out, Map.of(), false);
        assertTrue(r.ok(), () -> template + " failed at cell " + (r.failedCell() + 1) + ": " + r.failure());
        JsonNode cells = Json.MAPPER.readTree(out.toFile()).get("cells");
        int expected = 1;
        for (JsonNode cell : cells) {
            if (!"code".equals(cell.path("cell_type").asText())) continue;
            assertEquals(expected++, cell.path("execution_count").asInt(), "execution counts run in order");
            for (JsonNode o : cell.path("outputs")) assertFalse("error".equals(o.path("output_type").asText()));
        }
        validateWithNbformat(out);
    }

    /** The real nbformat validator, so what we write opens in every Jupyter front end. */
    private static void validateWithNbformat(Path nb) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')",
                nb.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("valid"), out);
    }
}
