package yardstick.kernel.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns messages into ZeroMQ frames and back: identities, {@code <IDS|MSG>}, signature, four JSON parts, buffers.
 *
 * <p>ZeroMQ puts no small bound on a frame (JeroMQ's {@code maxMsgSize} is unlimited unless set, and a frame arrives
 * whole, as one array), so the bound is this codec's: each JSON part is read up to {@link #MAX_PART_BYTES}, and a
 * string in it may be as long as the part ({@link Json#MAPPER}). A larger part, like malformed JSON, fails only its
 * message, which the kernel answers with an error.
 */
public final class WireCodec {
    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    /** The largest JSON part (header, parent header, metadata, content) read: 512 MiB. */
    public static final int MAX_PART_BYTES = Json.MAX_STRING_LENGTH;
    private final Signer signer;
    private final int maxPartBytes;

    public WireCodec(Signer signer) {
        this(signer, MAX_PART_BYTES);
    }

    WireCodec(Signer signer, int maxPartBytes) {
        this.signer = signer;
        this.maxPartBytes = maxPartBytes;
    }

    public List<byte[]> encode(Message m) {
        byte[] header = bytes(m.header().toJson());
        byte[] parent = bytes(m.parentHeader());
        byte[] metadata = bytes(m.metadata());
        byte[] content = bytes(m.content());
        List<byte[]> frames = new ArrayList<>(m.identities().size() + 6 + m.buffers().size());
        frames.addAll(m.identities());
        frames.add(DELIMITER);
        frames.add(signer.sign(header, parent, metadata, content).getBytes(StandardCharsets.US_ASCII));
        frames.add(header);
        frames.add(parent);
        frames.add(metadata);
        frames.add(content);
        frames.addAll(m.buffers());
        return frames;
    }

    public Message decode(List<byte[]> frames) throws ProtocolException {
        int delim = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                delim = i;
                break;
            }
        }
        if (delim < 0) throw new ProtocolException("no <IDS|MSG> delimiter in " + frames.size() + " frames");
        if (frames.size() < delim + 6) throw new ProtocolException("message has " + (frames.size() - delim - 1) + " frames after the delimiter, needs 5");
        String signature = new String(frames.get(delim + 1), StandardCharsets.US_ASCII);
        byte[] header = frames.get(delim + 2), parent = frames.get(delim + 3),
                metadata = frames.get(delim + 4), content = frames.get(delim + 5);
        if (!signer.verify(signature, header, parent, metadata, content)) {
            throw new ProtocolException("bad message signature");
        }
        ObjectNode h = object(header, "header");
        if (!h.hasNonNull("msg_type")) throw new ProtocolException("header has no msg_type");
        List<byte[]> identities = List.copyOf(frames.subList(0, delim));
        Header parsed = Header.fromJson(h);
        try {
            return new Message(identities, parsed, object(parent, "parent_header"), object(metadata, "metadata"),
                    object(content, "content"), List.copyOf(frames.subList(delim + 6, frames.size())));
        } catch (ProtocolException e) {
            // Signed and addressed: the sender waits for an answer, so the message goes on without its body.
            throw new ProtocolException(parsed.msgType() + ": " + e.getMessage(), e.getCause(),
                    new Message(identities, parsed, Json.object(), Json.object(), Json.object(), List.of()));
        }
    }

    private ObjectNode object(byte[] json, String part) throws ProtocolException {
        if (json.length > maxPartBytes) {
            throw new ProtocolException(part + " is " + json.length + " bytes; the kernel reads at most " + maxPartBytes);
        }
        try {
            JsonNode n = Json.MAPPER.readTree(json);
            if (n == null || !n.isObject()) throw new ProtocolException(part + " is not a JSON object");
            return (ObjectNode) n;
        } catch (JsonProcessingException e) {
            throw new ProtocolException("malformed JSON in " + part + ": " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new ProtocolException("unreadable " + part + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
