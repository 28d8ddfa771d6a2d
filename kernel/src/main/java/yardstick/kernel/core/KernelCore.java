package yardstick.kernel.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import yardstick.kernel.comm.CommTransport;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.eval.CellError;
import yardstick.kernel.history.History;
import yardstick.kernel.protocol.Channels;
import yardstick.kernel.protocol.Json;
import yardstick.kernel.protocol.KernelServer;
import yardstick.kernel.protocol.Log;
import yardstick.kernel.protocol.Message;

/**
 * The kernel's core, between the wire and the {@link Interpreter}, as xeus's {@code xkernel_core}: it frames every
 * request in busy/idle status, counts executions, broadcasts execute_input, results and errors, and shapes each
 * reply. The interpreter sees domain values only, so the core is tested against a mock one.
 */
public final class KernelCore implements KernelServer.Dispatcher {
    private static final java.util.Set<String> NO_REPLY = java.util.Set.of("comm_open", "comm_msg", "comm_close");

    private final Channels channels;
    private final Interpreter interpreter;
    private final Runnable stop;
    private volatile Message currentRequest;
    private int executionCount;

    /**
     * @param interpreter makes the interpreter, given where its comms send their messages
     * @param stop        called once a shutdown_request has been answered
     */
    public KernelCore(Channels channels, Function<CommTransport, Interpreter> interpreter, Runnable stop) {
        this.channels = channels;
        this.interpreter = interpreter.apply(this::sendComm);
        this.stop = stop;
    }

    public Interpreter interpreter() {
        return interpreter;
    }

    @Override
    public void dispatch(Message request, Consumer<Message> reply) {
        String type = request.type();
        boolean isRequest = type.endsWith("_request");
        if (!isRequest && !NO_REPLY.contains(type)) {
            Log.warn("no handler for message type " + type);
            return;
        }
        channels.broadcast(request, "status", Json.object().put("execution_state", "busy"));
        ObjectNode content;
        try {
            content = handle(request);
        } catch (Throwable e) {
            // Any Error too (OutOfMemoryError, a class that fails to load): one request fails, the kernel lives.
            content = failure(e);
        }
        // Only requests are answered: a comm message whose handler failed gets no "comm_msg" back on shell.
        if (content != null && isRequest) {
            if (!content.has("status")) content.put("status", "ok");
            reply.accept(request.reply(channels.session(), type.substring(0, type.length() - "_request".length()) + "_reply", content));
        }
        channels.broadcast(request, "status", Json.object().put("execution_state", "idle"));
    }

    private ObjectNode handle(Message r) {
        JsonNode c = r.content();
        return switch (r.type()) {
            case "kernel_info_request" -> kernelInfo();
            case "execute_request" -> execute(r);
            case "complete_request" -> complete(c);
            case "inspect_request" -> inspect(c);
            case "is_complete_request" -> isComplete(c);
            case "history_request" -> history(c);
            case "comm_info_request" -> interpreter.comms().info(c.path("target_name").asText(null));
            case "comm_open" -> comm(r, () -> interpreter.comms().opened(c));
            case "comm_msg" -> comm(r, () -> interpreter.comms().message(c));
            case "comm_close" -> comm(r, () -> interpreter.comms().closed(c));
            case "interrupt_request" -> {
                interpreter.interrupt();
                yield Json.object();
            }
            case "shutdown_request" -> shutdown(c.path("restart").asBoolean(false));
            default -> {
                Log.warn("no handler for message type " + r.type());
                ObjectNode e = Json.object().put("status", "error").put("ename", "UnknownRequest")
                        .put("evalue", "this kernel does not answer " + r.type());
                e.putArray("traceback").add("UnknownRequest: this kernel does not answer " + r.type());
                yield e;
            }
        };
    }

    private void sendComm(String type, ObjectNode content, ObjectNode metadata) {
        Message parent = currentRequest;
        if (parent == null) return;
        Message m = parent.reply(channels.session(), type, content);
        channels.iopub().publish(new Message(m.identities(), m.header(), m.parentHeader(), metadata, m.content(), m.buffers()));
    }

    private ObjectNode comm(Message request, Runnable action) {
        currentRequest = request;
        action.run();
        return null;
    }

    private ObjectNode kernelInfo() {
        Interpreter.Info i = interpreter.info();
        ObjectNode c = Json.object()
                .put("protocol_version", "5.4")
                .put("implementation", i.implementation())
                .put("implementation_version", i.implementationVersion())
                .put("banner", i.banner())
                .put("debugger", false);
        c.putObject("language_info")
                .put("name", i.language())
                .put("version", i.languageVersion())
                .put("mimetype", i.mimetype())
                .put("file_extension", i.fileExtension())
                .put("pygments_lexer", i.pygmentsLexer())
                .put("codemirror_mode", i.codemirrorMode());
        ArrayNode links = c.putArray("help_links");
        for (Interpreter.HelpLink l : i.helpLinks()) links.addObject().put("text", l.text()).put("url", l.url());
        return c;
    }

    private ObjectNode execute(Message request) {
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
        Interpreter.Execution done = interpreter.execute(new Interpreter.Cell(code, count, silent, store),
                new JupyterSink(channels, request, silent));
        ObjectNode reply = Json.object();
        if (done.ok()) {
            if (done.result() != null && !silent) {
                ObjectNode result = bundleContent(done.result()).put("execution_count", count);
                channels.broadcast(request, "execute_result", result);
            }
            reply.put("status", "ok").put("execution_count", count);
            reply.set("user_expressions", userExpressions(content.path("user_expressions")));
            reply.putArray("payload");
        } else {
            ObjectNode err = errorContent(done);
            if (!silent) channels.broadcast(request, "error", err.deepCopy());
            reply.setAll(err);
            reply.put("status", "error").put("execution_count", count);
        }
        return reply;
    }

    private static ObjectNode errorContent(Interpreter.Execution failed) {
        CellError e = failed.error();
        ObjectNode c = Json.object().put("ename", e.ename()).put("evalue", e.evalue());
        ArrayNode tb = c.putArray("traceback");
        failed.traceback().forEach(tb::add);
        return c;
    }

    private ObjectNode userExpressions(JsonNode expressions) {
        ObjectNode out = Json.object();
        Iterator<Map.Entry<String, JsonNode>> it = expressions.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Interpreter.Execution o = interpreter.evaluate(e.getValue().asText());
            if (o.ok()) {
                ObjectNode r = bundleContent(o.result() == null ? MimeBundle.text("") : o.result());
                out.set(e.getKey(), r.put("status", "ok"));
            } else {
                out.set(e.getKey(), errorContent(o).put("status", "error"));
            }
        }
        return out;
    }

    private ObjectNode complete(JsonNode content) {
        String code = content.path("code").asText("");
        int cursor = toIndex(code, content.path("cursor_pos").asInt(code.codePointCount(0, code.length())));
        Interpreter.Completion found = interpreter.complete(code, cursor);
        ObjectNode reply = Json.object();
        ArrayNode matches = reply.putArray("matches");
        found.matches().forEach(matches::add);
        reply.put("cursor_start", code.codePointCount(0, found.start())).put("cursor_end", code.codePointCount(0, found.end()));
        reply.putObject("metadata");
        return reply;
    }

    private ObjectNode inspect(JsonNode content) {
        String code = content.path("code").asText("");
        int cursor = toIndex(code, content.path("cursor_pos").asInt(0));
        MimeBundle page = interpreter.inspect(code, cursor, content.path("detail_level").asInt(0));
        ObjectNode reply = Json.object().put("found", page != null);
        reply.set("data", page == null ? Json.object() : Json.MAPPER.valueToTree(page.data()));
        reply.putObject("metadata");
        return reply;
    }

    private ObjectNode isComplete(JsonNode content) {
        Interpreter.Completeness c = interpreter.isComplete(content.path("code").asText(""));
        ObjectNode reply = Json.object().put("status", c.status());
        if ("incomplete".equals(c.status())) reply.put("indent", c.indent());
        return reply;
    }

    private ObjectNode history(JsonNode c) {
        boolean output = c.path("output").asBoolean(false);
        List<History.Entry> entries = interpreter.history(new Interpreter.HistoryQuery(
                c.path("hist_access_type").asText("tail"), c.path("session").asInt(0), c.path("start").asInt(1),
                c.path("stop").asInt(0), c.path("n").asInt(c.path("hist_access_type").asText("tail").equals("tail") ? 10 : 0),
                c.path("pattern").asText("*"), c.path("unique").asBoolean(false)));
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
            stop.run();
        }, "yardstick-shutdown");
        stopper.setDaemon(true);
        stopper.start();
        return Json.object().put("restart", restart);
    }

    private static ObjectNode failure(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        ObjectNode c = Json.object().put("status", "error").put("ename", e.getClass().getSimpleName())
                .put("evalue", String.valueOf(e.getMessage()));
        c.putArray("traceback").add(trace.toString());
        Log.warn("handler failed: " + trace);
        return c;
    }

    /** A display's data and metadata as message content. */
    public static ObjectNode bundleContent(MimeBundle bundle) {
        ObjectNode c = Json.object();
        c.set("data", Json.MAPPER.valueToTree(bundle.data()));
        c.set("metadata", Json.MAPPER.valueToTree(bundle.metadata()));
        return c;
    }

    /** Jupyter counts cursor positions in code points; Java strings index UTF-16 units. */
    static int toIndex(String code, int codePoints) {
        int cps = Math.max(0, Math.min(codePoints, code.codePointCount(0, code.length())));
        return code.offsetByCodePoints(0, cps);
    }
}
