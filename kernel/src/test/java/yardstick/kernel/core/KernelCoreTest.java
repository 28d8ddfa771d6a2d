package yardstick.kernel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.eval.CellError;
import yardstick.kernel.history.History;
import yardstick.kernel.output.OutputSink;
import yardstick.kernel.protocol.Channels;
import yardstick.kernel.protocol.Header;
import yardstick.kernel.protocol.IOPub;
import yardstick.kernel.protocol.Json;
import yardstick.kernel.protocol.Message;

/** The core's protocol behaviour against a mock interpreter, as xeus tests its core with xmock_interpreter. */
class KernelCoreTest {
    /** Everything the core sent, in order: IOPub messages and replies alike. */
    private final List<Message> sent = new ArrayList<>();
    private final MockInterpreter mock = new MockInterpreter();
    private final Channels channels = new Channels() {
        @Override
        public IOPub iopub() {
            return sent::add;
        }

        @Override
        public String session() {
            return "kernel-session";
        }

        @Override
        public String input(Message parent, String prompt, boolean password) throws IOException {
            throw new IOException("no input in this test");
        }
    };
    private final KernelCore core = new KernelCore(channels, transport -> {
        mock.comms = CommManager.withMetadata(transport);
        return mock;
    }, () -> mock.stopped = true);

    /** A mock interpreter: "print X" prints X, "fail" fails, "throw" throws, anything else is its own value. */
    static final class MockInterpreter implements Interpreter {
        final List<Cell> cells = new ArrayList<>();
        boolean interrupted, stopped;
        CommManager comms;

        @Override
        public Info info() {
            return new Info("mock", "1.2", "Mock kernel", "mocklang", "9", "text/x-mock", ".mock", "mock", "mock",
                    List.of(new HelpLink("docs", "https://example.org")));
        }

        @Override
        public Execution execute(Cell cell, OutputSink sink) {
            cells.add(cell);
            String code = cell.code();
            if (code.startsWith("print ")) {
                sink.stream("stdout", code.substring(6));
                return Execution.NOTHING;
            }
            if (code.equals("fail")) return new Execution(null, new CellError("MockError", "it failed", List.of("MockError: it failed", "\tat f(cell [1] line 1)")));
            if (code.equals("throw")) throw new IllegalStateException("interpreter broke");
            return cell.silent() || code.isBlank() ? Execution.NOTHING : new Execution(MimeBundle.text(code), null);
        }

        @Override
        public Execution evaluate(String expression) {
            return expression.equals("fail") ? new Execution(null, CellError.of("MockError", "bad")) : new Execution(MimeBundle.text("=" + expression), null);
        }

        @Override
        public Completion complete(String code, int cursor) {
            return new Completion(List.of("alpha", "alps"), cursor - 2, cursor);
        }

        @Override
        public MimeBundle inspect(String code, int cursor, int detailLevel) {
            return code.startsWith("known") ? new MimeBundle().put("text/plain", "doc " + detailLevel).put("text/html", "<b>doc</b>") : null;
        }

        @Override
        public Completeness isComplete(String code) {
            return code.endsWith("{") ? new Completeness("incomplete", "  ") : new Completeness("complete", "");
        }

        @Override
        public List<History.Entry> history(HistoryQuery query) {
            return List.of(new History.Entry(3, 1, query.access() + ":" + query.n()));
        }

        @Override
        public void interrupt() {
            interrupted = true;
        }

        @Override
        public CommManager comms() {
            return comms;
        }

        @Override
        public void close() {}
    }

    private Message request(String type, ObjectNode content) {
        Header h = new Header("req-" + sent.size(), "client-session", "tester", Header.now(), type, "5.4");
        return new Message(List.of("client".getBytes()), h, Json.object(), Json.object(), content, List.of());
    }

    /** Dispatches a request; returns the types of what the core sent for it, in order, replies marked "reply:". */
    private List<String> send(String type, ObjectNode content) {
        sent.clear();
        List<Message> replies = new ArrayList<>();
        core.dispatch(request(type, content), m -> {
            replies.add(m);
            sent.add(m);
        });
        List<String> types = new ArrayList<>();
        for (Message m : sent) {
            String t = m.type();
            if (t.equals("status")) t += ":" + m.content().path("execution_state").asText();
            types.add(replies.contains(m) ? "reply:" + t : t);
        }
        return types;
    }

    private JsonNode reply() {
        for (Message m : sent) if (m.type().endsWith("_reply")) return m.content();
        throw new AssertionError("no reply among " + sent.stream().map(Message::type).toList());
    }

    private JsonNode first(String type) {
        for (Message m : sent) if (m.type().equals(type)) return m.content();
        throw new AssertionError("no " + type);
    }

    private static ObjectNode exec(String code) {
        return Json.object().put("code", code);
    }

    @Test
    void executeIsFramedByBusyAndIdleWithInputOutputResultAndReplyInOrder() {
        assertEquals(List.of("status:busy", "execute_input", "stream", "reply:execute_reply", "status:idle"), send("execute_request", exec("print hi")));
        assertEquals(List.of("status:busy", "execute_input", "execute_result", "reply:execute_reply", "status:idle"), send("execute_request", exec("42")));
        assertEquals(2, first("execute_input").path("execution_count").asInt());
        assertEquals(2, first("execute_result").path("execution_count").asInt());
        assertEquals("42", first("execute_result").path("data").path("text/plain").asText());
        JsonNode r = reply();
        assertEquals("ok", r.path("status").asText());
        assertEquals(2, r.path("execution_count").asInt());
        assertTrue(r.path("payload").isArray());
        assertTrue(r.path("user_expressions").isObject());
        assertEquals("client-session", sent.get(0).parentHeader().path("session").asText(), "children of the request");
        assertEquals("kernel-session", sent.get(0).header().session());
    }

    @Test
    void silentBlankAndUnstoredCellsAreNotCounted() {
        send("execute_request", exec("1"));
        assertEquals(List.of("status:busy", "reply:execute_reply", "status:idle"), send("execute_request", exec("7").put("silent", true)));
        assertEquals(1, reply().path("execution_count").asInt());
        send("execute_request", exec("  \n"));
        assertEquals(1, reply().path("execution_count").asInt());
        send("execute_request", exec("8").put("store_history", false));
        assertEquals(1, reply().path("execution_count").asInt());
        assertFalse(mock.cells.get(mock.cells.size() - 1).store());
        send("execute_request", exec("9"));
        assertEquals(2, reply().path("execution_count").asInt());
        assertTrue(mock.cells.get(mock.cells.size() - 1).store());
        assertTrue(mock.cells.get(1).silent());
    }

    @Test
    void aFailedCellBroadcastsItsErrorAndRepliesWithItsColouredTraceback() {
        assertEquals(List.of("status:busy", "execute_input", "error", "reply:execute_reply", "status:idle"), send("execute_request", exec("fail")));
        JsonNode r = reply();
        assertEquals("error", r.path("status").asText());
        assertEquals("MockError", r.path("ename").asText());
        assertEquals("it failed", r.path("evalue").asText());
        assertEquals(1, r.path("execution_count").asInt());
        assertTrue(r.path("traceback").get(0).asText().startsWith("\u001b["), r.toString());
        assertEquals(r.path("traceback"), first("error").path("traceback"));
    }

    @Test
    void anInterpreterThatThrowsGetsAnErrorReplyAndTheKernelGoesIdle() {
        assertEquals(List.of("status:busy", "execute_input", "reply:execute_reply", "status:idle"), send("execute_request", exec("throw")));
        assertEquals("error", reply().path("status").asText());
        assertEquals("IllegalStateException", reply().path("ename").asText());
    }

    @Test
    void userExpressionsAreRenderedOrFailEach() {
        send("execute_request", exec("print x").set("user_expressions", Json.object().put("a", "1 + 1").put("b", "fail")));
        JsonNode ue = reply().path("user_expressions");
        assertEquals("ok", ue.path("a").path("status").asText());
        assertEquals("=1 + 1", ue.path("a").path("data").path("text/plain").asText());
        assertEquals("error", ue.path("b").path("status").asText());
        assertEquals("MockError", ue.path("b").path("ename").asText());
    }

    @Test
    void completeCountsCodePoints() {
        String code = "\uD83D\uDE00 al";  // an emoji is one code point, two UTF-16 units
        send("complete_request", Json.object().put("code", code).put("cursor_pos", 4));
        JsonNode r = reply();
        assertEquals(List.of("alpha", "alps"), Json.MAPPER.convertValue(r.path("matches"), List.class));
        assertEquals(2, r.path("cursor_start").asInt());
        assertEquals(4, r.path("cursor_end").asInt());
        assertEquals("ok", r.path("status").asText());
    }

    @Test
    void inspectIsCompleteAndHistoryShapes() {
        send("inspect_request", Json.object().put("code", "known").put("cursor_pos", 2).put("detail_level", 1));
        assertTrue(reply().path("found").asBoolean());
        assertEquals("doc 1", reply().path("data").path("text/plain").asText());
        assertEquals("<b>doc</b>", reply().path("data").path("text/html").asText());
        send("inspect_request", Json.object().put("code", "other").put("cursor_pos", 2));
        assertFalse(reply().path("found").asBoolean());
        assertEquals(0, reply().path("data").size());
        send("is_complete_request", Json.object().put("code", "if (x) {"));
        assertEquals("incomplete", reply().path("status").asText());
        assertEquals("  ", reply().path("indent").asText());
        send("is_complete_request", Json.object().put("code", "x"));
        assertEquals("complete", reply().path("status").asText());
        assertFalse(reply().has("indent"));
        send("history_request", Json.object().put("hist_access_type", "tail").put("n", 5).put("output", false));
        assertEquals("[[3,1,\"tail:5\"]]", reply().path("history").toString());
        send("history_request", Json.object().put("hist_access_type", "tail").put("n", 5).put("output", true));
        assertEquals("[[3,1,[\"tail:5\",null]]]", reply().path("history").toString());
    }

    @Test
    void kernelInfoComesFromTheInterpreter() {
        assertEquals(List.of("status:busy", "reply:kernel_info_reply", "status:idle"), send("kernel_info_request", Json.object()));
        JsonNode r = reply();
        assertEquals("5.4", r.path("protocol_version").asText());
        assertEquals("mock", r.path("implementation").asText());
        assertEquals("mocklang", r.path("language_info").path("name").asText());
        assertEquals(".mock", r.path("language_info").path("file_extension").asText());
        assertEquals("https://example.org", r.path("help_links").get(0).path("url").asText());
    }

    @Test
    void unknownRequestsAreRefusedAndOtherUnknownMessagesIgnored() {
        assertEquals(List.of("status:busy", "reply:nonsense_reply", "status:idle"), send("nonsense_request", Json.object()));
        assertEquals("error", reply().path("status").asText());
        assertEquals("UnknownRequest", reply().path("ename").asText());
        assertEquals(List.of(), send("nonsense_notice", Json.object()));
    }

    @Test
    void commMessagesGetNoReply() {
        // An unknown target: the comm layer closes the comm, a child of the comm_open; nothing goes back on shell.
        assertEquals(List.of("status:busy", "comm_close", "status:idle"),
                send("comm_open", Json.object().put("comm_id", "c1").put("target_name", "none")));
        assertEquals("c1", first("comm_close").path("comm_id").asText());
    }

    @Test
    void interruptAndShutdownReachTheInterpreterAndTheServer() throws Exception {
        send("interrupt_request", Json.object());
        assertTrue(mock.interrupted);
        assertEquals("ok", reply().path("status").asText());
        send("shutdown_request", Json.object().put("restart", true));
        assertTrue(reply().path("restart").asBoolean());
        for (int i = 0; i < 100 && !mock.stopped; i++) Thread.sleep(20);
        assertTrue(mock.stopped);
    }
}
