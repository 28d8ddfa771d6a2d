package yardstick.kernel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import yardstick.kernel.protocol.ConnectionInfo;
import yardstick.kernel.protocol.Json;
import yardstick.kernel.protocol.KernelClient;
import yardstick.kernel.protocol.Message;

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
        int[] ports = freePorts(5);
        ConnectionInfo info = new ConnectionInfo("tcp", "127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4],
                "hmac-sha256", UUID.randomUUID().toString());
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
     * Waits until the kernel answers and IOPub delivers, as jupyter_client's wait_for_ready does before it calls a
     * kernel ready: kernel_info asked again every second until it is answered, and a status seen on IOPub, since a
     * subscriber that joined late misses what was published before, so a result could otherwise be lost.
     */
    public void awaitIOPub(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Message probe = client.sendShell("kernel_info_request", Json.object());
            try {
                shellReply(probe, Duration.ofSeconds(1));
                client.iopub(probe, "status", Duration.ofMillis(200));
                return;
            } catch (TimeoutException notYet) {
                // not answered, or the subscription was not in place yet: ask again
            }
        }
        throw new TimeoutException("no kernel_info reply with its status on IOPub within " + timeout.toMillis() + " ms");
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

    /**
     * Closes the client; a kernel still running (it should have been shut down) has its threads and its log printed
     * to stderr, so a kernel that hangs says where, and is stopped.
     */
    @Override
    public void close() throws IOException {
        client.close();
        if (process.isAlive()) {
            System.err.println("kernel threads (" + log + "):\n" + threadDump());
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

    /** The live kernel's thread dump, by the JDK's own jcmd; what went wrong instead when it cannot be had. */
    private String threadDump() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            var out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "(reading jcmd failed: " + e + ")";
                }
            });
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "(jcmd did not answer in 20 s)";
            }
            return out.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "(no thread dump: " + e + ")";
        }
    }

    /**
     * Distinct free loopback ports below the system's ephemeral range, which the system never hands out by itself:
     * no other program's outgoing connection takes one between this choice and the kernel's bind, and the client,
     * which connects before the kernel binds, can never be given the port it dials as its own and connect to itself.
     */
    static int[] freePorts(int n) throws IOException {
        int low = ephemeralLow();
        Set<Integer> ports = new LinkedHashSet<>();
        Random random = new Random();
        for (int tries = 0; ports.size() < n && tries < 1000; tries++) {
            int port = low > 12_000 ? 10_000 + random.nextInt(low - 10_000) : 0;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                ports.add(s.getLocalPort());
            } catch (BindException taken) {
                // in use: draw again
            }
        }
        if (ports.size() < n) throw new IOException("found no " + n + " free loopback ports below " + low);
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The first port the kernel hands out for outgoing connections (Linux's ip_local_port_range; 32768 elsewhere). */
    private static int ephemeralLow() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
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
