package yardstick.kernel.comm;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Carries one comm message to the front end: its type, content, and message-level metadata (possibly empty). */
@FunctionalInterface
public interface CommTransport {
    void send(String msgType, ObjectNode content, ObjectNode metadata);
}
