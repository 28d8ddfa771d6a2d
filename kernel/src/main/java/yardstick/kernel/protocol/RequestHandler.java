package yardstick.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Answers one kind of request. The server wraps every call in busy/idle status, sends the returned content as the
 * {@code *_reply} (adding {@code status: ok} when absent), and turns an exception into an error reply.
 */
@FunctionalInterface
public interface RequestHandler {
    /** Returns the reply content, or null for messages that get no reply (comm_msg, comm_close, input_reply). */
    ObjectNode handle(Message request, Channels channels) throws Exception;
}
