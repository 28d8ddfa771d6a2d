package yardstick.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One Jupyter message. {@code parentHeader} is the raw JSON of the request's header (empty for unsolicited ones),
 * kept as received so replies echo it byte for byte in meaning.
 */
public record Message(List<byte[]> identities, Header header, ObjectNode parentHeader, ObjectNode metadata,
                      ObjectNode content, List<byte[]> buffers) {

    public String type() {
        return header.msgType();
    }

    /** A reply or broadcast that answers this message: same identities, this header as parent. */
    public Message reply(String kernelSession, String msgType, ObjectNode content) {
        return new Message(identities, Header.create(msgType, kernelSession, header.username()),
                header.toJson(), Json.object(), content, List.of());
    }
}
