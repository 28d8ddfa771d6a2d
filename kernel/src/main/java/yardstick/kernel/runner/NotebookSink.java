package yardstick.kernel.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.output.OutputSink;
import yardstick.kernel.protocol.Json;

/**
 * A cell's output written into the notebook as nbformat outputs: consecutive stream text merged, displays updated
 * in place by id (also in cells that already ran), input read from the terminal.
 */
final class NotebookSink implements OutputSink {
    /** Every display output of the run by id, so a later update finds it in whichever cell shows it. */
    private static final Map<String, List<ObjectNode>> DISPLAYS = new ConcurrentHashMap<>();
    private static final BufferedReader TERMINAL = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    private static final PrintStream CONSOLE = System.err;

    private final ArrayNode outputs;

    NotebookSink(ArrayNode outputs) {
        this.outputs = outputs;
    }

    @Override
    public synchronized void stream(String name, String text) {
        if (!outputs.isEmpty()) {
            JsonNode last = outputs.get(outputs.size() - 1);
            if ("stream".equals(last.path("output_type").asText()) && name.equals(last.path("name").asText())) {
                ((ObjectNode) last).put("text", last.path("text").asText() + text);
                return;
            }
        }
        outputs.addObject().put("output_type", "stream").put("name", name).put("text", text);
    }

    @Override
    public synchronized void display(MimeBundle bundle, String displayId, boolean update) {
        if (update) {
            for (ObjectNode o : DISPLAYS.getOrDefault(displayId, List.of())) fill(o, bundle);
            return;
        }
        ObjectNode o = outputs.addObject().put("output_type", "display_data");
        fill(o, bundle);
        DISPLAYS.computeIfAbsent(displayId, k -> new ArrayList<>()).add(o);
    }

    static void fill(ObjectNode output, MimeBundle bundle) {
        output.set("data", Json.MAPPER.valueToTree(bundle.data()));
        output.set("metadata", Json.MAPPER.valueToTree(bundle.metadata()));
    }

    @Override
    public synchronized void clearOutput(boolean wait) {
        outputs.removeAll();
    }

    synchronized void result(MimeBundle bundle, int count) {
        ObjectNode o = outputs.addObject().put("output_type", "execute_result");
        o.put("execution_count", count);
        fill(o, bundle);
    }

    synchronized void error(String ename, String evalue, List<String> traceback) {
        ObjectNode o = outputs.addObject().put("output_type", "error").put("ename", ename).put("evalue", evalue);
        ArrayNode tb = o.putArray("traceback");
        traceback.forEach(tb::add);
    }

    @Override
    public String input(String prompt, boolean password) throws IOException {
        synchronized (TERMINAL) {
            CONSOLE.print(prompt.isEmpty() ? "input> " : prompt);
            CONSOLE.flush();
            String line = TERMINAL.readLine();
            if (line == null) throw new IOException("the cell asked for input, but standard input is closed");
            return line;
        }
    }
}
