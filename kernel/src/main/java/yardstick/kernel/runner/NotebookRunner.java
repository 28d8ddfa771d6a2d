package yardstick.kernel.runner;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;
import yardstick.kernel.Session;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.core.Interpreter;
import yardstick.kernel.magic.Environment;

/**
 * Executes a notebook in this JVM, as papermill does: parameters go into a cell injected after the one tagged
 * {@code parameters}; outputs and execution counts are written back as nbformat 4.
 */
public final class NotebookRunner {
    /** What a run did: how many cells ran, and the first failure (index and message), if any. */
    public record Result(int cellsRun, int failedCell, String failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    private NotebookRunner() {}

    public static Result run(Path input, Path output, Map<String, String> parameters, boolean allowErrors)
            throws IOException {
        NotebookFile nb = NotebookFile.read(input);
        injectParameters(nb, parameters);
        nb.markKernel("yardstick", "Java (Yardstick)");
        Path dir = input.toAbsolutePath().getParent();
        // Run logging names the experiment after the notebook, as Jupyter's JPY_SESSION_NAME does for a kernel.
        Environment.shared().set("YARDSTICK_NOTEBOOK", input.normalize().toString());
        int count = 0, failedCell = -1;
        String failure = null;
        try (Session session = new Session(dir, new CommManager(null))) {
            ArrayNode cells = nb.cells();
            for (int i = 0; i < cells.size(); i++) {
                ObjectNode cell = (ObjectNode) cells.get(i);
                if (!"code".equals(cell.path("cell_type").asText())) continue;
                ArrayNode outputs = cell.putArray("outputs");
                String source = NotebookFile.source(cell);
                if (source.isBlank()) {
                    cell.putNull("execution_count");
                    continue;
                }
                count++;
                cell.put("execution_count", count);
                NotebookSink sink = new NotebookSink(outputs);
                Interpreter.Execution o = session.execute(new Interpreter.Cell(source, count, false, false), sink);
                if (o.result() != null) sink.result(o.result(), count);
                if (!o.ok()) {
                    sink.error(o.error().ename(), o.error().evalue(), o.traceback());
                    if (failure == null) {
                        failedCell = i;
                        failure = o.error().ename() + ": " + o.error().evalue();
                    }
                    if (!allowErrors) break;
                }
            }
        } finally {
            nb.write(output);
        }
        return new Result(count, failedCell, failure);
    }

    /** Adds the parameters cell papermill would: after the cell tagged parameters, else first. */
    static void injectParameters(NotebookFile nb, Map<String, String> parameters) {
        if (parameters.isEmpty()) return;
        StringBuilder src = new StringBuilder("// Injected parameters\n");
        parameters.forEach((k, v) -> src.append("var ").append(k).append(" = ").append(javaLiteral(v)).append(";\n"));
        ArrayNode cells = nb.cells();
        int at = 0;
        for (int i = 0; i < cells.size(); i++) {
            if (NotebookFile.hasTag(cells.get(i), "injected-parameters")) {
                cells.remove(i);
                i--;
                continue;
            }
            if (NotebookFile.hasTag(cells.get(i), "parameters")) at = i + 1;
        }
        cells.insert(at, NotebookFile.codeCell(src.toString().stripTrailing(), "injected-parameters"));
    }

    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+\\.\\d*|\\.\\d+)([eE][-+]?\\d+)?|-?\\d+[eE][-+]?\\d+");

    /**
     * A value as Java source that means what the text says in decimal: {@code true}/{@code false}; a whole number as an
     * int, else a long, else a BigInteger (leading zeros are not octal: {@code 010} is ten); a decimal number as a
     * double, written as Java writes it and the value then shows ({@code 3e-4} is {@code 3.0E-4}), else, when a double
     * cannot hold it ({@code 1e400}, {@code 1e-400}), a BigDecimal; anything else as a string literal.
     *
     * @throws IllegalArgumentException for a number too large even for a BigDecimal
     */
    static String javaLiteral(String v) {
        if (v.equals("true") || v.equals("false")) return v;
        if (INTEGER.matcher(v).matches()) {
            BigInteger n = new BigInteger(v);
            if (n.bitLength() < 32) return n.toString();
            if (n.bitLength() < 64) return n + "L";
            return "new java.math.BigInteger(\"" + n + "\")";
        }
        if (DECIMAL.matcher(v).matches()) {
            BigDecimal exact;
            try {
                exact = new BigDecimal(v);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException(v + " is out of range even for a BigDecimal");
            }
            double d = Double.parseDouble(v);
            if (Double.isInfinite(d) || (d == 0 && exact.signum() != 0)) return "new java.math.BigDecimal(\"" + v + "\")";
            return Double.toString(d);  // as the value will show (TextRenderer), and a Java literal
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Parses {@code NAME=VALUE}: the name must be a Java identifier that is not a reserved word (nor {@code _}, which
     * would declare nothing), and a number value must fit a BigDecimal.
     */
    static Map.Entry<String, String> parameter(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("parameter '" + spec + "' is not NAME=VALUE");
        String name = spec.substring(0, eq);
        if (!SourceVersion.isIdentifier(name)) {
            throw new IllegalArgumentException("parameter name '" + name + "' is not a Java identifier");
        }
        if (SourceVersion.isKeyword(name)) {
            throw new IllegalArgumentException("parameter name '" + name + "' is a reserved word in Java, not a variable name");
        }
        String value = spec.substring(eq + 1);
        try {
            javaLiteral(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter '" + name + "': " + e.getMessage());
        }
        return Map.entry(name, value);
    }

    static Map<String, String> parameters(Iterable<String> specs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : specs) {
            Map.Entry<String, String> e = parameter(s);
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

}
