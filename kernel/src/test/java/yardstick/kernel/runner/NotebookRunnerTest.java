package yardstick.kernel.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.kernel.protocol.Json;

class NotebookRunnerTest {
    static String notebook(String... cells) {
        StringBuilder sb = new StringBuilder("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [");
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(cells[i]);
        }
        return sb.append("]}").toString();
    }

    static String code(String source, String... tags) {
        StringBuilder t = new StringBuilder();
        for (String tag : tags) t.append(t.length() == 0 ? "" : ",").append('"').append(tag).append('"');
        return "{\"cell_type\": \"code\", \"metadata\": {\"tags\": [" + t + "]}, \"outputs\": [], \"execution_count\": null, "
                + "\"source\": " + Json.MAPPER.valueToTree(source.lines().map(l -> l + "\n").toList()) + "}";
    }

    @Test
    void parametersReplaceDefaultsAndOutputsAreWritten(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("p.ipynb");
        Files.writeString(in, notebook(
                "{\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": \"# Title\"}",
                code("int epochs = 1;\nString model = \"tiny\";\ndouble lr = 0.5;", "parameters"),
                code("System.out.println(model + \" x\" + epochs);\nepochs * lr")));
        Path out = dir.resolve("out.ipynb");
        NotebookRunner.Result r = NotebookRunner.run(in, out,
                Map.of("epochs", "4", "model", "big \"one\""), false);
        assertTrue(r.ok(), r.failure());
        JsonNode cells = Json.MAPPER.readTree(out.toFile()).get("cells");
        assertEquals(4, cells.size());
        assertTrue(NotebookFile.hasTag(cells.get(2), "injected-parameters"));
        JsonNode outputs = cells.get(3).get("outputs");
        assertEquals("big \"one\" x4\n", outputs.get(0).get("text").asText());
        assertEquals("execute_result", outputs.get(1).get("output_type").asText());
        assertEquals("2.0", outputs.get(1).get("data").get("text/plain").asText());
        assertEquals(3, cells.get(3).get("execution_count").asInt());
    }

    @Test
    void aFailingCellStopsTheRunAndIsNamed(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("f.ipynb");
        Files.writeString(in, notebook(code("int ok = 1;"), code("throw new RuntimeException(\"nope\");"), code("ok + 1")));
        Path out = dir.resolve("f.out.ipynb");
        NotebookRunner.Result r = NotebookRunner.run(in, out, Map.of(), false);
        assertFalse(r.ok());
        assertEquals(1, r.failedCell());
        assertTrue(r.failure().contains("nope"));
        JsonNode cells = Json.MAPPER.readTree(out.toFile()).get("cells");
        assertEquals("error", cells.get(1).get("outputs").get(0).get("output_type").asText());
        assertTrue(cells.get(2).get("outputs").isEmpty(), "cells after the failure do not run");

        NotebookRunner.Result all = NotebookRunner.run(in, out, Map.of(), true);
        assertEquals(3, all.cellsRun());
        JsonNode last = Json.MAPPER.readTree(out.toFile()).get("cells").get(2).get("outputs").get(0);
        assertEquals("2", last.get("data").get("text/plain").asText());
    }

    @Test
    void commandLineExitCodesAndMessages(@TempDir Path dir) throws Exception {
        assertEquals(2, RunCommand.run(List.of(dir.resolve("missing.ipynb").toString())));
        Path broken = dir.resolve("broken.ipynb");
        Files.writeString(broken, "{\"cells\": ");
        assertEquals(2, RunCommand.run(List.of(broken.toString())));
        Path nb = dir.resolve("n.ipynb");
        Files.writeString(nb, notebook(code("1 / 0")));
        assertEquals(1, RunCommand.run(List.of(nb.toString())));
        assertTrue(Files.exists(dir.resolve("n.out.ipynb")));
        assertEquals(0, RunCommand.run(List.of(nb.toString(), "--allow-errors", "-o", dir.resolve("x.ipynb").toString())));
        assertEquals(2, RunCommand.run(List.of(nb.toString(), "-p", "1bad=3")));
        assertEquals(2, RunCommand.run(List.of(nb.toString(), "-p")));
    }

    @Test
    void afterARunOutputGoesToTheProcessAgain(@TempDir Path dir) throws Exception {
        Path nb = dir.resolve("o.ipynb");
        Files.writeString(nb, notebook(code("System.out.println(\"in the cell\");")));
        assertEquals(0, RunCommand.run(List.of(nb.toString())));
        JsonNode out = Json.MAPPER.readTree(dir.resolve("o.out.ipynb").toFile()).get("cells").get(0).get("outputs");
        assertEquals("in the cell\n", out.get(0).get("text").asText());
        assertNull(yardstick.kernel.output.OutputRoute.current(), "the command's own messages must not go to a cell");
    }

    @Test
    void aValueWhoseToStringThrowsFailsItsCellNotTheRun(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("t.ipynb");
        Files.writeString(in, notebook(
                code("new Object() { public String toString() { throw new IllegalStateException(\"no text\"); } }"),
                code("1 + 1")));
        Path out = dir.resolve("t.out.ipynb");
        NotebookRunner.Result r = NotebookRunner.run(in, out, Map.of(), false);
        assertFalse(r.ok());
        assertEquals(0, r.failedCell());
        assertTrue(r.failure().contains("no text"), r.failure());
        JsonNode cells = Json.MAPPER.readTree(out.toFile()).get("cells");
        JsonNode error = cells.get(0).get("outputs").get(0);
        assertEquals("error", error.get("output_type").asText());
        assertTrue(error.get("evalue").asText().contains("the cell's value cannot be shown"), error.toString());
        assertTrue(cells.get(1).get("outputs").isEmpty());

        assertEquals(0, RunCommand.run(List.of(in.toString(), "--allow-errors", "-o", out.toString())));
        assertEquals("2", Json.MAPPER.readTree(out.toFile()).get("cells").get(1).get("outputs").get(0)
                .get("data").get("text/plain").asText());
    }

    @Test
    void aCellWhoseSourceIsNotTextIsRefusedNamingTheCell(@TempDir Path dir) throws Exception {
        String ok = code("int fine = 1;");
        Map<String, String> bad = Map.of(
                "{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": [1, 2]}",
                "cell 2: \"source\" is a list holding a number (1), not a list of strings",
                "{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": 42}",
                "cell 2: \"source\" is a number (42), not a string or a list of strings",
                "{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": [\"a\", {\"b\": 1}]}",
                "cell 2: \"source\" is a list holding an object ({\"b\":1}), not a list of strings",
                "\"System.exit(0);\"",
                "cell 2 is a string (\"System.exit(0);\"), not an object");
        for (Map.Entry<String, String> c : bad.entrySet()) {
            Path in = dir.resolve("bad.ipynb");
            Files.writeString(in, notebook(ok, c.getKey()));
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> NotebookFile.read(in));
            assertTrue(e.getMessage().endsWith(c.getValue()), e.getMessage());
            Path out = dir.resolve("bad.out.ipynb");
            assertEquals(2, RunCommand.run(List.of(in.toString(), "-o", out.toString())), c.getKey());
            assertFalse(Files.exists(out), "a refused notebook is not run");
        }
        Path text = dir.resolve("text.ipynb");
        Files.writeString(text, notebook("{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], "
                + "\"execution_count\": null, \"source\": \"20 + 22\"}"));
        assertEquals(0, RunCommand.run(List.of(text.toString())), "one string is a valid source");
    }

    @Test
    void numberParametersKeepTheirDecimalMeaning() {
        assertEquals("10", NotebookRunner.javaLiteral("010"));
        assertEquals("9", NotebookRunner.javaLiteral("09"));
        assertEquals("-7", NotebookRunner.javaLiteral("-007"));
        assertEquals("2147483647", NotebookRunner.javaLiteral("2147483647"));
        assertEquals("-2147483648", NotebookRunner.javaLiteral("-2147483648"));
        assertEquals("2147483648L", NotebookRunner.javaLiteral("2147483648"));
        assertEquals("-9223372036854775808L", NotebookRunner.javaLiteral("-9223372036854775808"));
        assertEquals("new java.math.BigInteger(\"9223372036854775808\")", NotebookRunner.javaLiteral("9223372036854775808"));
        assertEquals("new java.math.BigInteger(\"99999999999999999999\")", NotebookRunner.javaLiteral("099999999999999999999"));
        assertEquals("new java.math.BigDecimal(\"1e400\")", NotebookRunner.javaLiteral("1e400"));
        assertEquals("new java.math.BigDecimal(\"-1e-400\")", NotebookRunner.javaLiteral("-1e-400"));
        assertEquals("0.0", NotebookRunner.javaLiteral("0e-400"));
        assertEquals("1.5E300", NotebookRunner.javaLiteral("1.5e300"));
        assertThrows(IllegalArgumentException.class, () -> NotebookRunner.javaLiteral("1e99999999999"));
    }

    @Test
    void reservedWordsAndUnderscoreAreRefusedAsParameterNames() {
        for (String name : List.of("_", "class", "int", "true", "null", "goto", "const")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NotebookRunner.parameter(name + "=3"));
            assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
        }
        for (String name : List.of("var", "record", "yield", "$x", "_x", "épocas")) {
            assertEquals(name, NotebookRunner.parameter(name + "=3").getKey());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NotebookRunner.parameter("n=1e99999999999"));
        assertTrue(e.getMessage().startsWith("parameter 'n': "), e.getMessage());
    }

    @Test
    void injectedNumbersCompileWithTheirValues(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("n.ipynb");
        Files.writeString(in, notebook(code("// defaults", "parameters"),
                code("n + \" \" + nine + \" \" + big + \" \" + big.getClass().getSimpleName() + \" \" + huge.getClass().getSimpleName()"
                        + " + \" \" + tiny.signum() + \" \" + (lng + 1)")));
        Path out = dir.resolve("n.out.ipynb");
        Map<String, String> p = new java.util.LinkedHashMap<>(NotebookRunner.parameters(List.of(
                "n=010", "nine=09", "big=99999999999999999999", "huge=1e400", "tiny=1e-400", "lng=3000000000")));
        NotebookRunner.Result r = NotebookRunner.run(in, out, p, false);
        assertTrue(r.ok(), r.failure());
        JsonNode value = Json.MAPPER.readTree(out.toFile()).get("cells").get(2).get("outputs").get(0);
        assertEquals("\"10 9 99999999999999999999 BigInteger BigDecimal 1 3000000001\"",
                value.get("data").get("text/plain").asText());
    }

    /** One rule for a double's text, Java's Double.toString: in a result, %vars, a table and an injected parameter. */
    @Test
    void aDoubleShowsTheSameEverywhere(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("d.ipynb");
        Files.writeString(in, notebook(code("double lr = 0.1;", "parameters"), code("lr"), code("%vars"),
                code("tech.tablesaw.api.Table.create(\"t\", tech.tablesaw.api.DoubleColumn.create(\"lr\", new double[] {lr, 2}),"
                        + " tech.tablesaw.api.FloatColumn.create(\"f\", new float[] {0.1f, Float.NaN}))")));
        Path out = dir.resolve("d.out.ipynb");
        NotebookRunner.Result r = NotebookRunner.run(in, out, Map.of("lr", "3e-4"), false);
        assertTrue(r.ok(), r.failure());
        JsonNode cells = Json.MAPPER.readTree(out.toFile()).get("cells");
        assertTrue(NotebookFile.source(cells.get(1)).contains("var lr = 3.0E-4;"), NotebookFile.source(cells.get(1)));
        assertEquals("3.0E-4", cells.get(2).get("outputs").get(0).get("data").get("text/plain").asText());
        JsonNode vars = cells.get(3).get("outputs").get(0).get("data");
        assertTrue(vars.get("text/plain").asText().matches("(?s).*lr\\s*\\|\\s*double\\s*\\|\\s*3\\.0E-4.*"), vars.toString());
        JsonNode table = cells.get(4).get("outputs").get(0).get("data");
        String html = table.get("text/html").asText(), text = table.get("text/plain").asText();
        for (String shown : List.of("3.0E-4", "2.0", "0.1")) {
            assertTrue(html.contains("<td>" + shown + "</td>"), html);
            assertTrue(text.contains(shown), text);
        }
        assertFalse(html.contains("0.0003") || text.contains("0.0003"), html + text);
        assertFalse(html.contains("0.10000000149011612") || text.contains("0.10000000149011612"), "a float is not widened");
        assertTrue(html.contains("<td></td>"), "a missing value stays empty: " + html);
    }

    @Test
    void literalsKeepTheirJavaTypes() {
        assertEquals("3", NotebookRunner.javaLiteral("3"));
        assertEquals("30000000000L", NotebookRunner.javaLiteral("30000000000"));
        assertEquals("0.1", NotebookRunner.javaLiteral("0.1"));
        assertEquals("0.001", NotebookRunner.javaLiteral("1e-3"));
        assertEquals("true", NotebookRunner.javaLiteral("true"));
        assertEquals("\"a\\\\b\\n\"", NotebookRunner.javaLiteral("a\\b\n"));
        assertThrows(IllegalArgumentException.class, () -> NotebookRunner.parameter("novalue"));
    }
}
