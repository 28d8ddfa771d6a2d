package yardstick.kernel.comm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import yardstick.kernel.protocol.Json;

/** One open comm between kernel and front end (a widget's channel). Messages arrive on a handler, leave by send. */
public final class Comm {
    private final String id;
    private final String target;
    private final CommManager manager;
    private volatile Consumer<JsonNode> onMessage = d -> {};
    private volatile Runnable onClose = () -> {};
    private volatile boolean open = true;

    Comm(String id, String target, CommManager manager) {
        this.id = id;
        this.target = target;
        this.manager = manager;
    }

    public String id() {
        return id;
    }

    public String target() {
        return target;
    }

    public boolean isOpen() {
        return open;
    }

    /** Sends data to the front end's side of this comm. */
    public void send(Object data) {
        if (!open) throw new IllegalStateException("comm " + id + " is closed");
        ObjectNode c = Json.object().put("comm_id", id);
        c.set("data", Json.MAPPER.valueToTree(data));
        manager.send("comm_msg", c);
    }

    public void close() {
        if (!open) return;
        ObjectNode c = Json.object().put("comm_id", id);
        c.putObject("data");
        manager.send("comm_close", c);
        closed();
    }

    public Comm onMessage(Consumer<JsonNode> handler) {
        this.onMessage = handler;
        return this;
    }

    public Comm onClose(Runnable handler) {
        this.onClose = handler;
        return this;
    }

    void received(JsonNode data) {
        onMessage.accept(data);
    }

    void closed() {
        open = false;
        manager.forget(id);
        onClose.run();
    }
}
