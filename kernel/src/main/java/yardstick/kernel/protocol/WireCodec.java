package yardstick.kernel.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns messages into ZeroMQ frames and back: identities, {@code <IDS|MSG>}, signature, four JSON parts, buffers. */
public final class WireCodec {
    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private final Signer signer;

    public WireCodec(Signer signer) {
        this.signer = signer;
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
        return new Message(List.copyOf(frames.subList(0, delim)), Header.fromJson(h), object(parent, "parent_header"),
                object(metadata, "metadata"), object(content, "content"),
                List.copyOf(frames.subList(delim + 6, frames.size())));
    }

    private static ObjectNode object(byte[] json, String part) throws ProtocolException {
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
