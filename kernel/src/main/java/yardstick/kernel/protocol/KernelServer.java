package yardstick.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The five sockets of a Jupyter kernel and the loops that serve them. Shell and control each have a thread that
 * receives, verifies and dispatches; IOPub has one sender thread fed by a queue, so any thread may publish; the
 * heartbeat echoes on its own thread. A message that fails verification or parsing is logged and dropped (answered
 * with an error when its header could be read); every other message goes to the {@link Dispatcher}.
 */
public final class KernelServer implements Channels, AutoCloseable {
    /** How often a socket's loop looks up from its receive to see whether the server is closing. */
    private static final int POLL_MS = 200;
    private static final Message STOP = new Message(List.of(), null, null, null, null, List.of());

    private final ConnectionInfo info;
    private final WireCodec codec;
    private final String session = UUID.randomUUID().toString();
    private volatile Dispatcher dispatcher;
    private final BlockingQueue<Message> iopubQueue = new LinkedBlockingQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object stdinLock = new Object();
    /** Markers put in the IOPub queue by {@link #flushIOPub()}, each released once the sender thread reaches it. */
    private final Map<Message, CountDownLatch> iopubMarkers = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    private final ZContext context = new ZContext(1);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private ZMQ.Socket stdin;

    public KernelServer(ConnectionInfo info) {
        this.info = info;
        this.codec = new WireCodec(new Signer(info.signatureScheme(), info.key()));
    }

    /**
     * What answers the messages this server receives: the kernel's core, which frames each in busy/idle status and
     * hands its reply to {@code reply}, which sends it on the socket the request came from.
     */
    @FunctionalInterface
    public interface Dispatcher {
        void dispatch(Message request, java.util.function.Consumer<Message> reply);
    }

    /** Sets the dispatcher; before {@link #start()}. */
    public KernelServer serve(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        return this;
    }

    @Override
    public String session() {
        return session;
    }

    @Override
    public IOPub iopub() {
        return iopubQueue::add;
    }

    /** Binds every socket, then starts serving. Returns once all sockets are bound. */
    public void start() {
        ZMQ.Socket shell = bind(SocketType.ROUTER, info.shellPort());
        ZMQ.Socket control = bind(SocketType.ROUTER, info.controlPort());
        ZMQ.Socket iopub = bind(SocketType.PUB, info.iopubPort());
        ZMQ.Socket hb = bind(SocketType.REP, info.hbPort());
        stdin = bind(SocketType.ROUTER, info.stdinPort());
        running = true;
        spawn("yardstick-heartbeat", () -> heartbeat(hb));
        spawn("yardstick-iopub", () -> sendIOPub(iopub));
        spawn("yardstick-control", () -> serve(control));
        spawn("yardstick-shell", () -> serve(shell));
    }

    private ZMQ.Socket bind(SocketType type, int port) {
        ZMQ.Socket s = context.createSocket(type);
        s.setLinger(1000);
        s.setReceiveTimeOut(POLL_MS);
        s.bind(info.endpoint(port));
        return s;
    }

    private void spawn(String name, Runnable loop) {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    loop.run();
                    return;
                } catch (ZMQException e) {
                    if (running) Log.warn(name + " stopped: " + e);
                    return;
                } catch (OutOfMemoryError e) {
                    // A cell filled the heap and this thread's allocation failed first: the cell's own failure frees
                    // it, so the loop goes on rather than leave the kernel without heartbeat or control.
                    if (!running) return;
                    pause();
                } catch (Throwable e) {
                    // The default handler would print to System.err, which cells' output routing owns: say it here.
                    Log.warn(name + " died: " + stackTrace(e));
                    throw e;
                }
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void heartbeat(ZMQ.Socket hb) {
        while (running) {
            byte[] ping = hb.recv();
            if (ping != null) hb.send(ping);
        }
    }

    private void sendIOPub(ZMQ.Socket iopub) {
        try {
            while (true) {
                Message m = iopubQueue.take();
                if (m == STOP) return;
                CountDownLatch marker = iopubMarkers.remove(m);
                if (marker != null) {
                    marker.countDown();
                    continue;
                }
                sendFrames(iopub, codec.encode(m));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(ZMQ.Socket socket) {
        while (running) {
            List<byte[]> frames = receiveFrames(socket);
            if (frames == null) continue;
            Message request;
            try {
                request = codec.decode(frames);
            } catch (ProtocolException e) {
                if (e.request() == null) {
                    Log.warn("dropped a message: " + e.getMessage());
                } else {
                    Log.warn("answered an unreadable message with an error: " + e.getMessage());
                    refuse(socket, e.request(), "ProtocolError", "the kernel could not read this request: " + e.getMessage());
                }
                continue;
            }
            dispatch(socket, request);
        }
    }

    private void dispatch(ZMQ.Socket socket, Message request) {
        try {
            dispatcher.dispatch(request, reply -> sendFrames(socket, codec.encode(reply)));
        } catch (Throwable e) {
            Log.warn("dispatch failed: " + stackTrace(e));
        }
    }

    /**
     * Answers a request that reaches no handler with an error, so its sender does not wait forever: busy, the error
     * (also on IOPub for an execute_request, where a notebook shows it under the cell), the reply, idle.
     */
    private void refuse(ZMQ.Socket socket, Message request, String ename, String evalue) {
        broadcast(request, "status", Json.object().put("execution_state", "busy"));
        ObjectNode error = Json.object().put("ename", ename).put("evalue", evalue);
        error.putArray("traceback").add(ename + ": " + evalue);
        if (request.type().equals("execute_request")) broadcast(request, "error", error.deepCopy());
        if (request.type().endsWith("_request")) {
            String replyType = request.type().substring(0, request.type().length() - "_request".length()) + "_reply";
            ObjectNode reply = error.deepCopy().put("status", "error");
            sendFrames(socket, codec.encode(request.reply(session, replyType, reply)));
        }
        broadcast(request, "status", Json.object().put("execution_state", "idle"));
    }

    private static String stackTrace(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    @Override
    public String input(Message parent, String prompt, boolean password) throws IOException {
        if (!parent.content().path("allow_stdin").asBoolean(false)) {
            throw new IOException("this front end does not accept input (allow_stdin is false)");
        }
        // As ipykernel does: what the cell printed or displayed before asking goes out first, so a front end shows
        // the question below it rather than above.
        flushIOPub();
        synchronized (stdinLock) {
            ObjectNode c = Json.object().put("prompt", prompt).put("password", password);
            sendFrames(stdin, codec.encode(parent.reply(session, "input_request", c)));
            while (running) {
                // Checked before each receive: a JeroMQ call made with the interrupt flag set can break the socket.
                if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted while waiting for input");
                List<byte[]> frames = receiveFrames(stdin);
                if (frames == null) continue;
                try {
                    Message reply = codec.decode(frames);
                    if ("input_reply".equals(reply.type())) return reply.content().path("value").asText("");
                } catch (ProtocolException e) {
                    Log.warn("dropped a stdin message: " + e.getMessage());
                }
            }
            throw new IOException("the kernel is shutting down; no input was received");
        }
    }

    /** Waits (up to a second) until every message published so far has been handed to the IOPub socket. */
    void flushIOPub() {
        if (!running) return;
        Message marker = new Message(List.of(), null, null, null, null, List.of());
        CountDownLatch sent = new CountDownLatch(1);
        iopubMarkers.put(marker, sent);
        iopubQueue.add(marker);
        try {
            if (!sent.await(1, java.util.concurrent.TimeUnit.SECONDS)) iopubMarkers.remove(marker);
        } catch (InterruptedException e) {
            iopubMarkers.remove(marker);
            Thread.currentThread().interrupt();
        }
    }

    private static List<byte[]> receiveFrames(ZMQ.Socket socket) {
        byte[] first = socket.recv();
        if (first == null) return null;
        List<byte[]> frames = new ArrayList<>(8);
        frames.add(first);
        while (socket.hasReceiveMore()) frames.add(socket.recv());
        return frames;
    }

    private static void sendFrames(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** Stops serving after the current request; {@link #awaitStop()} returns. */
    public void stop() {
        stopped.countDown();
    }

    /** Blocks until {@link #stop()} is called. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops the loops, then closes the sockets once their threads have left them (JeroMQ sockets must not be closed
     * under a thread that is using them), then the context, whose termination waits for every socket: should one be
     * stuck anyway, the wait is bounded rather than holding the process's exit.
     */
    @Override
    public void close() {
        running = false;
        iopubQueue.add(STOP);
        try {
            for (Thread t : threads) t.join(2000);
            Thread closer = new Thread(context::close, "yardstick-zmq-close");
            closer.setDaemon(true);
            closer.start();
            closer.join(5000);
            if (closer.isAlive()) Log.warn("the ZeroMQ context did not terminate within 5 s; leaving it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped.countDown();
    }
}
