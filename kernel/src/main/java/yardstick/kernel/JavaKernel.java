package yardstick.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.SourceCodeAnalysis;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.eval.CellError;
import yardstick.kernel.eval.Outcome;
import yardstick.kernel.history.History;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.protocol.Channels;
import yardstick.kernel.protocol.ConnectionInfo;
import yardstick.kernel.protocol.Json;
import yardstick.kernel.protocol.KernelServer;
import yardstick.kernel.protocol.Message;
import yardstick.kernel.widget.WidgetControl;

/** The Java kernel: Jupyter requests answered by a {@link Session}. */
public final class JavaKernel implements AutoCloseable {
    public static final String VERSION = version();
    private static final Pattern MAGIC_PREFIX = Pattern.compile("(?m)^\\s*(%%?)(\\w*)$");

    private final KernelServer server;
    private final Session session;
    private final History history;
    private volatile Message currentRequest;
    private int executionCount;

    public JavaKernel(ConnectionInfo info, Path historyFile) {
        server = new KernelServer(info);
        history = new History(historyFile);
        session = new Session(Path.of("").toAbsolutePath(), CommManager.withMetadata(this::sendComm));
        WidgetControl.of(session.comms());  // a widget front end opens it as soon as it attaches
        server.on("kernel_info_request", (r, c) -> kernelInfo())
                .on("execute_request", this::execute)
                .on("complete_request", (r, c) -> complete(r.content()))
                .on("inspect_request", (r, c) -> inspect(r.content()))
                .on("is_complete_request", (r, c) -> isComplete(r.content()))
                .on("history_request", (r, c) -> history(r.content()))
                .on("comm_info_request", (r, c) -> session.comms().info(r.content().path("target_name").asText(null)))
                .on("comm_open", (r, c) -> comm(r, () -> session.comms().opened(r.content())))
                .on("comm_msg", (r, c) -> comm(r, () -> session.comms().message(r.content())))
                .on("comm_close", (r, c) -> comm(r, () -> session.comms().closed(r.content())))
                .on("interrupt_request", (r, c) -> {
                    session.interrupt();
                    return Json.object();
                })
                .on("shutdown_request", (r, c) -> shutdown(r.content().path("restart").asBoolean(false)));
    }

    private static String version() {
        String v = JavaKernel.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    public void start() {
        server.start();
    }

    /** Serves until a shutdown_request. */
    public void awaitShutdown() throws InterruptedException {
        server.awaitStop();
    }

    private void sendComm(String type, ObjectNode content, ObjectNode metadata) {
        Message parent = currentRequest;
        if (parent == null) return;
        Message m = parent.reply(server.session(), type, content);
        server.iopub().publish(new Message(m.identities(), m.header(), m.parentHeader(), metadata, m.content(), m.buffers()));
    }

    private ObjectNode comm(Message request, Runnable action) {
        currentRequest = request;
        action.run();
        return null;
    }

    private ObjectNode kernelInfo() {
        ObjectNode c = Json.object()
                .put("protocol_version", "5.4")
                .put("implementation", "yardstick")
                .put("implementation_version", VERSION)
                .put("banner", "Yardstick " + VERSION + ": Java " + Runtime.version() + " (JShell)")
                .put("debugger", false);
        c.putObject("language_info")
                .put("name", "java")
                .put("version", Runtime.version().toString())
                .put("mimetype", "text/x-java-source")
                .put("file_extension", ".jshell")
                .put("pygments_lexer", "java")
                .put("codemirror_mode", "text/x-java");
        ArrayNode links = c.putArray("help_links");
        links.addObject().put("text", "Java " + Runtime.version().feature() + " API")
                .put("url", "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/");
        links.addObject().put("text", "JShell guide")
                .put("url", "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/jshell/");
        return c;
    }

    private ObjectNode execute(Message request, Channels channels) {
        currentRequest = request;
        JsonNode content = request.content();
        String code = content.path("code").asText("");
        boolean silent = content.path("silent").asBoolean(false);
        // As IPython does, a blank cell is neither counted nor stored in history.
        boolean store = !silent && content.path("store_history").asBoolean(true) && !code.isBlank();
        if (store) executionCount++;
        int count = executionCount;
        if (!silent) {
            channels.broadcast(request, "execute_input", Json.object().put("code", code).put("execution_count", count));
        }
        if (store) history.add(count, code);
        Outcome outcome = session.execute(code, new JupyterSink(channels, request, silent), "cell [" + count + "]");
        ObjectNode result = null;
        if (outcome.ok() && outcome.hasValue() && !silent) {
            // When the value's own toString fails, that is the cell's error, not a failure of the kernel.
            Session.Rendered r = session.renderResult(outcome.value());
            if (r.error() != null) outcome = new Outcome(false, null, r.error());
            else result = JupyterSink.bundleContent(r.bundle());
        }
        ObjectNode reply = Json.object();
        if (outcome.ok()) {
            if (result != null) {
                result.put("execution_count", count);
                channels.broadcast(request, "execute_result", result);
            }
            reply.put("status", "ok").put("execution_count", count);
            reply.set("user_expressions", userExpressions(content.path("user_expressions")));
            reply.putArray("payload");
        } else {
            ObjectNode err = errorContent(outcome.error());
            if (!silent) channels.broadcast(request, "error", err.deepCopy());
            reply.setAll(err);
            reply.put("status", "error").put("execution_count", count);
        }
        return reply;
    }

    private static ObjectNode errorContent(CellError e) {
        ObjectNode c = Json.object().put("ename", e.ename()).put("evalue", e.evalue());
        ArrayNode tb = c.putArray("traceback");
        e.traceback().forEach(tb::add);
        return c;
    }

    private ObjectNode userExpressions(JsonNode expressions) {
        ObjectNode out = Json.object();
        Iterator<Map.Entry<String, JsonNode>> it = expressions.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Outcome o = session.evaluator().valueOf(e.getValue().asText());
            if (o.ok()) {
                ObjectNode r = JupyterSink.bundleContent(session.render(o.value()));
                r.put("status", "ok");
                out.set(e.getKey(), r);
            } else {
                out.set(e.getKey(), errorContent(o.error()).put("status", "error"));
            }
        }
        return out;
    }

    private ObjectNode complete(JsonNode content) {
        String code = content.path("code").asText("");
        int cursor = toIndex(code, content.path("cursor_pos").asInt(code.codePointCount(0, code.length())));
        ObjectNode reply = Json.object();
        ArrayNode matches = reply.putArray("matches");
        int start = cursor;
        Matcher m = MAGIC_PREFIX.matcher(code.substring(0, cursor));
        if (m.find() && m.end() == cursor) {
            start = m.start(2);
            for (Magic magic : session.magics().all()) if (magic.name().startsWith(m.group(2))) matches.add(magic.name());
        } else {
            int[] anchor = new int[1];
            List<String> found = session.evaluator().complete(code, cursor, anchor);
            start = anchor[0];
            found.forEach(matches::add);
        }
        reply.put("cursor_start", code.codePointCount(0, start)).put("cursor_end", code.codePointCount(0, cursor));
        reply.putObject("metadata");
        return reply;
    }

    private ObjectNode inspect(JsonNode content) {
        String code = content.path("code").asText("");
        int cursor = toIndex(code, content.path("cursor_pos").asInt(0));
        List<SourceCodeAnalysis.Documentation> docs = documentation(code, cursor);
        ObjectNode reply = Json.object().put("found", !docs.isEmpty());
        ObjectNode data = reply.putObject("data");
        reply.putObject("metadata");
        if (!docs.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (SourceCodeAnalysis.Documentation d : docs) {
                text.append(d.signature()).append('\n');
                if (d.javadoc() != null && !d.javadoc().isBlank()) text.append('\n').append(d.javadoc().strip()).append("\n\n");
            }
            data.put("text/plain", text.toString().strip());
        }
        return reply;
    }

    /**
     * JShell documents a method only with the cursor inside its argument list and a type only at the end of its
     * name, while front ends send the cursor wherever it is, often on or just after a name: so when the cursor's
     * place finds nothing, ask again at the end of the name under the cursor, then as if "(" followed that name.
     */
    private List<SourceCodeAnalysis.Documentation> documentation(String code, int cursor) {
        List<SourceCodeAnalysis.Documentation> docs = session.evaluator().inspect(code, cursor);
        int end = cursor;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) end++;
        if (!docs.isEmpty() || end == 0 || !Character.isJavaIdentifierPart(code.charAt(end - 1))) return docs;
        if (end > cursor) docs = session.evaluator().inspect(code, end);
        return docs.isEmpty() ? session.evaluator().inspect(code.substring(0, end) + "(", end + 1) : docs;
    }

    private ObjectNode isComplete(JsonNode content) {
        String code = content.path("code").asText("");
        String status = code.stripLeading().startsWith("%") ? "complete" : session.evaluator().completeness(code);
        ObjectNode reply = Json.object().put("status", status);
        if ("incomplete".equals(status)) reply.put("indent", "    ");
        return reply;
    }

    private ObjectNode history(JsonNode c) {
        boolean output = c.path("output").asBoolean(false);
        List<History.Entry> entries = switch (c.path("hist_access_type").asText("tail")) {
            case "range" -> history.range(c.path("session").asInt(0), c.path("start").asInt(1), c.path("stop").asInt(0));
            case "search" -> history.search(c.path("pattern").asText("*"), c.path("n").asInt(0), c.path("unique").asBoolean(false));
            default -> history.tail(c.path("n").asInt(10));
        };
        ObjectNode reply = Json.object();
        ArrayNode list = reply.putArray("history");
        for (History.Entry e : entries) {
            ArrayNode row = list.addArray().add(e.session()).add(e.line());
            if (output) row.addArray().add(e.input()).addNull();
            else row.add(e.input());
        }
        return reply;
    }

    private ObjectNode shutdown(boolean restart) {
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(100);  // let the reply and the idle status leave first
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            server.stop();
        }, "yardstick-shutdown");
        stopper.setDaemon(true);
        stopper.start();
        return Json.object().put("restart", restart);
    }

    /** Jupyter counts cursor positions in code points; Java strings index UTF-16 units. */
    static int toIndex(String code, int codePoints) {
        int cps = Math.max(0, Math.min(codePoints, code.codePointCount(0, code.length())));
        return code.offsetByCodePoints(0, cps);
    }

    @Override
    public void close() {
        session.close();
        server.close();
    }
}
