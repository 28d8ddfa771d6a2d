package yardstick.spark.driver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/** The driver's side of the line protocol: one JSON object per line. */
final class Events {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;

    Events(PrintStream out) {
        this.out = out;
    }

    synchronized void send(ObjectNode event) {
        try {
            out.println(JSON.writeValueAsString(event));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void progress(long done, long total) {
        send(JSON.createObjectNode().put("event", "progress").put("done", done).put("total", total));
    }

    void error(String message) {
        send(JSON.createObjectNode().put("event", "error").put("message", message));
    }
}
