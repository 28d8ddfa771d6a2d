package yardstick.kernel.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The contents of a Jupyter connection file: where to bind the five sockets and how to sign messages. */
public record ConnectionInfo(String transport, String ip, int shellPort, int controlPort, int stdinPort,
                             int iopubPort, int hbPort, String signatureScheme, String key) {

    /** Reads a connection file, naming the missing field when one is absent. */
    public static ConnectionInfo read(Path file) throws IOException {
        JsonNode n = Json.MAPPER.readTree(Files.readString(file));
        return new ConnectionInfo(
                text(n, "transport", "tcp"), text(n, "ip", "127.0.0.1"),
                port(n, "shell_port"), port(n, "control_port"), port(n, "stdin_port"),
                port(n, "iopub_port"), port(n, "hb_port"),
                text(n, "signature_scheme", "hmac-sha256"), text(n, "key", ""));
    }

    private static String text(JsonNode n, String field, String fallback) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static int port(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt()) throw new IOException("connection file has no valid " + field);
        return v.asInt();
    }

    /** The ZeroMQ endpoint for a port, e.g. {@code tcp://127.0.0.1:5555}. */
    public String endpoint(int port) {
        return "ipc".equals(transport) ? "ipc://" + ip + "-" + port : transport + "://" + ip + ":" + port;
    }
}
