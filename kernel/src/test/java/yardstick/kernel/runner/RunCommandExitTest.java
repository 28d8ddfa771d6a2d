package yardstick.kernel.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static yardstick.kernel.runner.NotebookRunnerTest.code;
import static yardstick.kernel.runner.NotebookRunnerTest.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.kernel.cli.Main;
import yardstick.kernel.protocol.Json;

/**
 * {@code yardstick run} as a person or CI runs it, in its own JVM started without the exit agent (the command starts
 * one with it): a cell that calls System.exit or Runtime.halt fails, the run goes on or stops as asked, the executed
 * notebook is written, and the exit status says the run failed.
 */
class RunCommandExitTest {
    private record Run(int exit, String output) {}

    private static Run yardstickRun(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dyardstick.home=" + dir.resolve("home"), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run"));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("run.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError("yardstick run did not finish:\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void systemExitZeroFailsItsCellWritesTheNotebookAndFailsTheRun(@TempDir Path dir) throws Exception {
        Path nb = dir.resolve("quits.ipynb");
        Files.writeString(nb, notebook(code("int kept = 41;"), code("System.out.println(\"bye\");\nSystem.exit(0);"),
                code("kept + 1")));
        Path out = dir.resolve("quits.out.ipynb");
        Files.writeString(out, "{\"stale\": \"an earlier run's notebook\"}");

        Run run = yardstickRun(dir, nb.toString());
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("cell 2 of " + nb + " failed: SystemExit: System.exit(0) was called"),
                run.output());
        JsonNode cells = Json.MAPPER.readTree(out.toFile()).get("cells");
        assertEquals(3, cells.size(), "the executed notebook replaced the stale one");
        JsonNode outputs = cells.get(1).get("outputs");
        assertEquals("bye\n", outputs.get(0).get("text").asText());
        assertEquals("SystemExit", outputs.get(1).get("ename").asText());
        assertTrue(cells.get(2).get("outputs").isEmpty(), "the run stopped at the failed cell");
    }

    @Test
    void cellsRunInTheNotebooksFolderWhileTheCommandLinesPathsStayTheCallers(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("notebooks"));
        Files.writeString(folder.resolve("data.txt"), "from the notebook's folder");
        Files.writeString(folder.resolve("reads.ipynb"), notebook(code("java.nio.file.Files.readString(java.nio.file.Path.of(\"data.txt\"))")));

        Run run = yardstickRun(dir, "notebooks/reads.ipynb", "-o", "reads.out.ipynb");
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("executed notebook written to reads.out.ipynb"), run.output());
        JsonNode cells = Json.MAPPER.readTree(dir.resolve("reads.out.ipynb").toFile()).get("cells");
        assertEquals("\"from the notebook's folder\"", cells.get(0).get("outputs").get(0).get("data").get("text/plain").asText());
        assertFalse(Files.exists(folder.resolve("reads.out.ipynb")), "-o is relative to where the command ran");
    }

    @Test
    void withAllowErrorsTheRunGoesOnWithItsState(@TempDir Path dir) throws Exception {
        Path nb = dir.resolve("halts.ipynb");
        Files.writeString(nb, notebook(code("int kept = 41;"),
                code("Thread t = new Thread(() -> Runtime.getRuntime().halt(3));\nt.start();\nt.join();"),
                code("Runtime.getRuntime().exit(4);"), code("kept + 1")));
        Path out = dir.resolve("halts.out.ipynb");
        Run run = yardstickRun(dir, nb.toString(), "--allow-errors");
        assertEquals(0, run.exit(), run.output());
        JsonNode cells = Json.MAPPER.readTree(out.toFile()).get("cells");
        assertEquals("Runtime.halt(3) was called; the kernel keeps running",
                cells.get(1).get("outputs").get(0).get("evalue").asText());
        assertEquals("Runtime.exit(4) was called; the kernel keeps running",
                cells.get(2).get("outputs").get(0).get("evalue").asText());
        assertEquals("42", cells.get(3).get("outputs").get(0).get("data").get("text/plain").asText());
        assertFalse(run.output().contains("without the exit guard"), run.output());
    }
}
