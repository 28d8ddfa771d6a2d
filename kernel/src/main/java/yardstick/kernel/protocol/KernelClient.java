package yardstick.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The front-end side of a kernel connection: DEALER sockets to shell and control, a SUB socket on IOPub, every
 * message signed and verified with the connection's key. It binds nothing, so it may connect before the kernel
 * has bound its ports; ZeroMQ then connects as soon as they open. Not thread-safe: one thread drives a client.
 */
public final class KernelClient implements AutoCloseable {
    /** How often ZeroMQ retries a port that is not bound yet; its default of 100 ms would hide a kernel's start. */
    private static final int RECONNECT_MS = 5;

    private final WireCodec codec;
    private final String session = UUID.randomUUID().toString();
    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket shell;
    private final ZMQ.Socket control;
    private final ZMQ.Socket iopub;

    /** One request's answer: the reply, and the IOPub messages it caused up to and including the idle status. */
    public record Exchange(Message reply, List<Message> iopub) {
        /** The first IOPub message of the given type, or null. */
        public Message first(String msgType) {
            for (Message m : iopub) if (m.type().equals(msgType)) return m;
            return null;
        }
    }

    public KernelClient(ConnectionInfo info) {
        this.codec = new WireCodec(new Signer(info.signatureScheme(), info.key()));
        shell = connect(SocketType.DEALER, info.endpoint(info.shellPort()));
        control = connect(SocketType.DEALER, info.endpoint(info.controlPort()));
        iopub = context.createSocket(SocketType.SUB);
        iopub.setReconnectIVL(RECONNECT_MS);
        iopub.subscribe(new byte[0]);
        iopub.connect(info.endpoint(info.iopubPort()));
    }

    private ZMQ.Socket connect(SocketType type, String endpoint) {
        ZMQ.Socket s = context.createSocket(type);
        s.setLinger(0);
        s.setReconnectIVL(RECONNECT_MS);
        s.connect(endpoint);
        return s;
    }

    /** The session id this client puts in its headers. */
    public String session() {
        return session;
    }

    /** Sends a request on the shell socket and returns the message sent (its header's msg_id names the request). */
    public Message sendShell(String msgType, ObjectNode content) {
        return send(shell, msgType, content);
    }

    /** Sends a request on the control socket. */
    public Message sendControl(String msgType, ObjectNode content) {
        return send(control, msgType, content);
    }

    private Message send(ZMQ.Socket socket, String msgType, ObjectNode content) {
        Message m = new Message(List.of(), Header.create(msgType, session, "yardstick"), Json.object(), Json.object(),
                content, List.of());
        List<byte[]> frames = codec.encode(m);
        for (int i = 0; i < frames.size(); i++) socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        return m;
    }

    /** The next reply on shell to {@code request}, skipping replies to earlier requests. */
    public Message shellReply(Message request, Duration timeout) throws TimeoutException, ProtocolException {
        return await(shell, request, null, timeout, "reply to " + request.type());
    }

    /** The next reply on control to {@code request}. */
    public Message controlReply(Message request, Duration timeout) throws TimeoutException, ProtocolException {
        return await(control, request, null, timeout, "reply to " + request.type());
    }

    /** The next IOPub message of {@code msgType} caused by {@code request}; others are skipped. */
    public Message iopub(Message request, String msgType, Duration timeout) throws TimeoutException, ProtocolException {
        return await(iopub, request, msgType, timeout, msgType + " for " + request.type());
    }

    /**
     * Sends a shell request and collects its reply and the IOPub messages it causes until the kernel reports idle:
     * the round trip a front end waits for before it runs the next cell.
     */
    public Exchange request(String msgType, ObjectNode content, Duration timeout) throws TimeoutException, ProtocolException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Message request = sendShell(msgType, content);
        Message reply = shellReply(request, left(deadline));
        List<Message> published = new ArrayList<>();
        while (true) {
            Message m = await(iopub, request, null, left(deadline), "the idle status after " + msgType);
            published.add(m);
            if (m.type().equals("status") && "idle".equals(m.content().path("execution_state").asText())) break;
        }
        return new Exchange(reply, published);
    }

    private static Duration left(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }

    private Message await(ZMQ.Socket socket, Message request, String msgType, Duration timeout, String what)
            throws TimeoutException, ProtocolException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String id = request.header().msgId();
        while (true) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) throw new TimeoutException("no " + what + " within " + timeout.toMillis() + " ms");
            Message m = receive(socket, (int) Math.min(Integer.MAX_VALUE, leftMs));
            if (m == null) continue;
            if (!id.equals(m.parentHeader().path("msg_id").asText())) continue;
            if (msgType == null || msgType.equals(m.type())) return m;
        }
    }

    /** One message, verified; null on timeout. A message with a bad signature is an error, not skipped. */
    private Message receive(ZMQ.Socket socket, int timeoutMs) throws ProtocolException {
        socket.setReceiveTimeOut(timeoutMs);
        byte[] first = socket.recv();
        if (first == null) return null;
        List<byte[]> frames = new ArrayList<>(8);
        frames.add(first);
        while (socket.hasReceiveMore()) frames.add(socket.recv());
        return codec.decode(frames);
    }

    @Override
    public void close() {
        context.close();
    }
}
