package yardstick.tracker.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;

/** Small helpers for answering an {@link HttpExchange}. */
public final class Exchanges {
    private static final System.Logger LOG = System.getLogger("yardstick.tracker");
    /** How much of a refused body is read and discarded before answering. */
    private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    private Exchanges() {}

    public static void sendJson(HttpExchange ex, int status, ObjectNode body) throws IOException {
        send(ex, status, "application/json", JsonCodec.MAPPER.writeValueAsBytes(body));
    }

    public static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    /** Answers with MLflow's error JSON; unexpected failures become INTERNAL_ERROR and are logged. */
    public static void sendError(HttpExchange ex, Throwable t) throws IOException {
        MlflowException e;
        if (t instanceof MlflowException m) {
            e = m;
        } else {
            LOG.log(System.Logger.Level.ERROR, "request " + ex.getRequestMethod() + " " + ex.getRequestURI() + " failed", t);
            e = new MlflowException(ErrorCode.INTERNAL_ERROR, "Internal error: " + t);
        }
        ObjectNode body = JsonCodec.object().put("error_code", e.code().name()).put("message", e.getMessage());
        sendJson(ex, e.httpStatus(), body);
    }

    /**
     * Reads what is left of a refused request's body, up to {@link #DRAIN_LIMIT} bytes, so that closing the
     * connection does not reset it before the client has read the error answer, and the connection can carry the
     * client's next request. When more is left (or a reader closed the body, which discards only 64 KiB), the
     * server closes the connection after answering; the answer then says {@code Connection: close}, so the client
     * does not send its next request down it.
     */
    public static void drain(HttpExchange ex) {
        boolean finished;
        try (InputStream in = ex.getRequestBody()) {
            byte[] sink = new byte[64 * 1024];
            long left = DRAIN_LIMIT;
            int n = 0;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
                left -= n;
            }
            finished = n < 0 || in.read() < 0;
        } catch (IOException e) {
            finished = false;
        }
        if (!finished) {
            ex.getResponseHeaders().set("Connection", "close");
        }
    }

    /** Query parameters as request fields; a repeated name becomes a list. */
    public static ObjectNode queryFields(String rawQuery) {
        ObjectNode fields = JsonCodec.object();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return fields;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            var existing = fields.get(name);
            if (existing == null) {
                fields.put(name, value);
            } else if (existing.isArray()) {
                ((ArrayNode) existing).add(value);
            } else {
                ArrayNode list = fields.putArray(name);
                list.add(existing.textValue()).add(value);
            }
        }
        return fields;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MlflowException(ErrorCode.MALFORMED_REQUEST, "Malformed query string: " + e.getMessage());
        }
    }
}
