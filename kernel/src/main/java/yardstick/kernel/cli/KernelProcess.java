package yardstick.kernel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import yardstick.kernel.protocol.ConnectionInfo;
import yardstick.kernel.protocol.Json;
import yardstick.kernel.protocol.KernelClient;
import yardstick.kernel.protocol.Message;
import yardstick.kernel.protocol.ProtocolException;

/**
 * A kernel started as Jupyter starts one (argv with {@code {connection_file}}, a connection file on free loopback
 * ports with a random key) and a {@link KernelClient} connected to it. Its output goes to a log file beside the
 * connection file, so a full pipe can never stall it.
 */
public final class KernelProcess implements AutoCloseable {
    private final Process process;
    private final KernelClient client;
    private final long startNanos;
    private final Path log;

    private KernelProcess(Process process, KernelClient client, long startNanos, Path log) {
        this.process = process;
        this.client = client;
        this.startNanos = startNanos;
        this.log = log;
    }

    /** Starts {@code argv} in {@code work}/cwd with {@code env} added; the clock of {@link #elapsedMs()} starts here. */
    public static KernelProcess start(String name, List<String> argv, Map<String, String> env, Path work) throws IOException {
        ConnectionInfo info = new ConnectionInfo("tcp", "127.0.0.1", freePort(), freePort(), freePort(),
                freePort(), freePort(), "hmac-sha256", UUID.randomUUID().toString());
        Path file = work.resolve("kernel-" + name + "-" + UUID.randomUUID() + ".json");
        writeConnectionFile(info, name, file);
        Path log = work.resolve(file.getFileName() + ".log");
        Path cwd = Files.createDirectories(work.resolve("cwd"));
        List<String> command = argv.stream().map(a -> a.replace("{connection_file}", file.toString())).toList();
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        // Connect first, as a front end may: ZeroMQ holds the first request until the kernel binds its ports.
        KernelClient client = new KernelClient(info);
        long t0 = System.nanoTime();
        Process p = pb.start();
        return new KernelProcess(p, client, t0, log);
    }

    public KernelClient client() {
        return client;
    }

    /** Milliseconds since the process was started. */
    public double elapsedMs() {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /** The kernel exited before it answered: a port taken between choosing and binding it, or a crash. */
    public static final class ExitedException extends IOException {
        ExitedException(String message) {
            super(message);
        }
    }

    /** The reply to a shell request, watching that the process is still alive while it waits. */
    public Message shellReply(Message request, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return client.shellReply(request, Duration.ofMillis(20));
            } catch (TimeoutException e) {
                if (!process.isAlive()) {
                    throw new ExitedException("kernel exited with status " + process.exitValue() + ":\n" + logTail());
                }
                if (System.nanoTime() > deadline) throw e;
            }
        }
    }

    /**
     * CPU time the kernel process has used so far, all its threads (JIT and GC too), in milliseconds; unlike wall
     * time it hardly depends on what else the machine runs. NaN where the platform does not say.
     */
    public double cpuMs() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
    }

    /**
     * Waits until IOPub delivers, as jupyter_client does before it calls a kernel ready: a subscriber that joined
     * late misses what was published before, so a result could otherwise be lost.
     */
    public void awaitIOPub(Duration timeout) throws TimeoutException, ProtocolException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Message probe = client.sendShell("kernel_info_request", Json.object());
            client.shellReply(probe, timeout);
            try {
                client.iopub(probe, "status", Duration.ofMillis(200));
                return;
            } catch (TimeoutException notYet) {
                // the subscription was not in place yet; ask again
            }
        }
        throw new TimeoutException("IOPub never delivered a status message");
    }

    /** Asks the kernel to shut down and waits for the process to exit on its own. */
    public void shutdown() throws Exception {
        Message m = client.sendControl("shutdown_request", Json.object().put("restart", false));
        client.controlReply(m, Duration.ofSeconds(10));
        // A clean exit matters: the JVM writes its class-data archive or AOT cache only when it exits normally.
        if (!process.waitFor(60, TimeUnit.SECONDS)) throw new IllegalStateException("kernel did not exit; log: " + log);
    }

    /** The kernel's own output so far (its last 4000 characters). */
    public String logTail() throws IOException {
        String all = Files.readString(log);
        return all.substring(Math.max(0, all.length() - 4000));
    }

    /** Closes the client; a kernel still running is stopped and its log printed to stderr. */
    @Override
    public void close() throws IOException {
        client.close();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            System.err.println("kernel log (" + log + "):\n" + logTail());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void writeConnectionFile(ConnectionInfo info, String kernelName, Path file) throws IOException {
        ObjectNode n = Json.object().put("transport", info.transport()).put("ip", info.ip())
                .put("shell_port", info.shellPort()).put("control_port", info.controlPort())
                .put("stdin_port", info.stdinPort()).put("iopub_port", info.iopubPort()).put("hb_port", info.hbPort())
                .put("signature_scheme", info.signatureScheme()).put("key", info.key()).put("kernel_name", kernelName);
        Files.writeString(file, Json.MAPPER.writeValueAsString(n));
    }

    /** An execute_request's content as a notebook front end sends it. */
    public static ObjectNode execute(String code) {
        ObjectNode c = Json.object().put("code", code).put("silent", false).put("store_history", true)
                .put("allow_stdin", false).put("stop_on_error", true);
        c.putObject("user_expressions");
        return c;
    }
}
