package yardstick.kernel.runner;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import yardstick.kernel.Session;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.eval.Outcome;
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
                Outcome o = session.execute(source, sink, "cell [" + count + "]");
                if (o.ok()) {
                    if (o.hasValue()) sink.result(session.render(o.value()), count);
                } else {
                    sink.error(o.error().ename(), o.error().evalue(), o.error().traceback());
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

    /** A value as Java source: numbers and booleans as themselves, anything else as a string literal. */
    static String javaLiteral(String v) {
        if (v.equals("true") || v.equals("false")) return v;
        if (v.matches("-?\\d{1,9}")) return v;
        if (v.matches("-?\\d+")) return v + "L";
        if (v.matches("-?(\\d+\\.\\d*|\\.\\d+)([eE][-+]?\\d+)?|-?\\d+[eE][-+]?\\d+")) return v;
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

    /** Parses {@code NAME=VALUE}; the name must be a Java identifier. */
    static Map.Entry<String, String> parameter(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("parameter '" + spec + "' is not NAME=VALUE");
        String name = spec.substring(0, eq);
        if (!name.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
            throw new IllegalArgumentException("parameter name '" + name + "' is not a Java identifier");
        }
        return Map.entry(name, spec.substring(eq + 1));
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
