package yardstick.kernel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.kernel.JavaKernel;

/** The client against the real kernel in this JVM: signed round trips, and silence towards a wrong key. */
class KernelClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static ConnectionInfo info;
    static JavaKernel kernel;

    @BeforeAll
    static void start() throws IOException {
        info = new ConnectionInfo("tcp", "127.0.0.1", port(), port(), port(), port(), port(), "hmac-sha256",
                UUID.randomUUID().toString());
        kernel = new JavaKernel(info, dir.resolve("history.jsonl"));
        kernel.start();
    }

    @AfterAll
    static void stop() {
        kernel.close();
    }

    @Test
    void kernelInfoAndExecuteComeBackSignedWithTheirIOPubMessages() throws Exception {
        try (KernelClient client = new KernelClient(info)) {
            KernelClient.Exchange infoX = untilIOPubDelivers(client);
            assertEquals("kernel_info_reply", infoX.reply().type());
            assertEquals("yardstick", infoX.reply().content().path("implementation").asText());
            assertEquals("ok", infoX.reply().content().path("status").asText());
            assertEquals(List.of("busy", "idle"),
                    infoX.iopub().stream().map(m -> m.content().path("execution_state").asText()).toList());

            KernelClient.Exchange exec = client.request("execute_request",
                    Json.object().put("code", "1 + 1").put("silent", false), TIMEOUT);
            assertEquals("ok", exec.reply().content().path("status").asText());
            assertEquals("2", exec.first("execute_result").content().path("data").path("text/plain").asText());
            assertEquals(client.session(), exec.reply().parentHeader().path("session").asText());
        }
    }

    @Test
    void aClientWithTheWrongKeyGetsNoReplyWhileTheRightOneDoes() throws Exception {
        ConnectionInfo wrong = new ConnectionInfo(info.transport(), info.ip(), info.shellPort(), info.controlPort(),
                info.stdinPort(), info.iopubPort(), info.hbPort(), info.signatureScheme(), "not-the-key");
        try (KernelClient intruder = new KernelClient(wrong); KernelClient client = new KernelClient(info)) {
            Message m = intruder.sendShell("kernel_info_request", Json.object());
            assertThrows(TimeoutException.class, () -> intruder.shellReply(m, Duration.ofMillis(1500)));
            Message ok = client.sendShell("kernel_info_request", Json.object());
            assertEquals("kernel_info_reply", client.shellReply(ok, TIMEOUT).type());
        }
    }

    /**
     * A fresh subscriber misses what was published before it joined, and may join between a request's busy and its
     * idle: ask until IOPub shows a whole exchange, from its busy on.
     */
    private static KernelClient.Exchange untilIOPubDelivers(KernelClient client) throws Exception {
        for (int i = 0; i < 50; i++) {
            try {
                KernelClient.Exchange x = client.request("kernel_info_request", Json.object(), Duration.ofMillis(500));
                if (x.iopub().stream().anyMatch(m -> "busy".equals(m.content().path("execution_state").asText()))) return x;
            } catch (TimeoutException notYet) {
                // the subscription was not in place yet
            }
        }
        throw new TimeoutException("IOPub never delivered");
    }

    private static int port() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
