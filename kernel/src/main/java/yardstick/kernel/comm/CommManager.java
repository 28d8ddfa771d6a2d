package yardstick.kernel.comm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import yardstick.kernel.protocol.Json;

/**
 * The kernel's comms: targets that front ends may open, comms either side opened, and the messages between them.
 * Without a front end (a headless run) {@link #connected()} is false and opening a comm fails with a clear message.
 */
public final class CommManager {
    private final Map<String, Consumer<Comm>> targets = new ConcurrentHashMap<>();
    private final Map<String, Comm> comms = new ConcurrentHashMap<>();
    private final CommTransport transport;

    /**
     * @param transport sends a comm message (type, content) to the front end, or null when there is none; the
     *                  message metadata that {@link #open(String, Object, Object)} may name does not reach it
     */
    public CommManager(BiConsumer<String, ObjectNode> transport) {
        this.transport = transport == null ? null : (type, content, metadata) -> transport.accept(type, content);
    }

    private CommManager(CommTransport transport) {
        this.transport = transport;
    }

    /** A manager whose transport also carries each message's metadata (Jupyter widgets put their version there). */
    public static CommManager withMetadata(CommTransport transport) {
        return new CommManager(transport);
    }

    public boolean connected() {
        return transport != null;
    }

    /** Accepts comms the front end opens for this target; the handler gets each new comm. */
    public void registerTarget(String target, Consumer<Comm> onOpen) {
        targets.put(target, onOpen);
    }

    public void unregisterTarget(String target) {
        targets.remove(target);
    }

    /** Opens a comm from the kernel side. */
    public Comm open(String target, Object data) {
        return open(target, data, null);
    }

    /**
     * Opens a comm from the kernel side with metadata on the comm_open message (the message's metadata, not its
     * content: the Jupyter widgets protocol sends its version there).
     */
    public Comm open(String target, Object data, Object metadata) {
        if (!connected()) throw new IllegalStateException("no front end is connected: comms need Jupyter");
        Comm comm = new Comm(UUID.randomUUID().toString().replace("-", ""), target, this);
        comms.put(comm.id(), comm);
        ObjectNode c = Json.object().put("comm_id", comm.id()).put("target_name", target);
        c.set("data", Json.MAPPER.valueToTree(data == null ? Map.of() : data));
        send("comm_open", c, metadata == null ? Json.object() : (ObjectNode) Json.MAPPER.valueToTree(metadata));
        return comm;
    }

    /** A comm_open from the front end; an unknown target is answered with comm_close, as the protocol asks. */
    public void opened(JsonNode content) {
        String id = content.path("comm_id").asText();
        String target = content.path("target_name").asText();
        Consumer<Comm> handler = targets.get(target);
        if (handler == null) {
            ObjectNode c = Json.object().put("comm_id", id);
            c.putObject("data");
            send("comm_close", c);
            return;
        }
        Comm comm = new Comm(id, target, this);
        comms.put(id, comm);
        handler.accept(comm);
        if (content.has("data") && !content.path("data").isEmpty()) comm.received(content.path("data"));
    }

    public void message(JsonNode content) {
        Comm comm = comms.get(content.path("comm_id").asText());
        if (comm != null) comm.received(content.path("data"));
    }

    public void closed(JsonNode content) {
        Comm comm = comms.get(content.path("comm_id").asText());
        if (comm != null) comm.closed();
    }

    /** The comm_info_reply content: open comms, optionally only those of one target. */
    public ObjectNode info(String targetFilter) {
        ObjectNode reply = Json.object();
        ObjectNode list = reply.putObject("comms");
        comms.values().forEach(c -> {
            if (targetFilter == null || targetFilter.isEmpty() || targetFilter.equals(c.target())) {
                list.putObject(c.id()).put("target_name", c.target());
            }
        });
        return reply;
    }

    void send(String type, ObjectNode content) {
        send(type, content, Json.object());
    }

    void send(String type, ObjectNode content, ObjectNode metadata) {
        if (transport != null) transport.send(type, content, metadata);
    }

    void forget(String id) {
        comms.remove(id);
    }
}
