package yardstick.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** What a handler may do besides replying: broadcast on IOPub, and ask the front end for input. */
public interface Channels {
    IOPub iopub();

    /** The kernel session id that signs every message this kernel sends. */
    String session();

    /** Broadcasts a message of the given type as a child of the request. */
    default void broadcast(Message parent, String msgType, ObjectNode content) {
        iopub().publish(parent.reply(session(), msgType, content));
    }

    /**
     * Sends an input_request to the front end that made {@code parent} and waits for its input_reply.
     *
     * @throws IOException when the front end does not answer or input is not allowed
     */
    String input(Message parent, String prompt, boolean password) throws IOException;
}
