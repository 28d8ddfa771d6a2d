package yardstick.tracker.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import yardstick.tracker.artifacts.ArtifactRepository;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.store.TrackerStore;

/** Serves {@code /api/2.0/mlflow/*}: JSON bodies for POST and PATCH, query strings for GET. */
public final class ApiHandler implements HttpHandler {
    public static final String PREFIX = "/api/2.0/mlflow/";
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private final RestApi api;

    public ApiHandler(TrackerStore store, ArtifactRepository artifacts) {
        this.api = new RestApi(store, artifacts);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String endpoint = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
            ObjectNode fields = switch (ex.getRequestMethod()) {
                case "GET", "HEAD" -> Exchanges.queryFields(ex.getRequestURI().getRawQuery());
                case "POST", "PATCH", "PUT" -> body(ex);
                default -> throw new MlflowException(ErrorCode.BAD_REQUEST, "Method " + ex.getRequestMethod() + " not allowed");
            };
            Exchanges.sendJson(ex, 200, api.handle(endpoint, new Request(fields, ex.getRequestHeaders().getFirst("User-Agent"))));
        } catch (Exception | Error e) {
            Exchanges.sendError(ex, e);
        } finally {
            ex.close();
        }
    }

    private static ObjectNode body(HttpExchange ex) throws IOException {
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, "Request body exceeds " + MAX_BODY_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            return JsonCodec.object();
        }
        JsonNode node;
        try {
            node = JsonCodec.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new MlflowException(ErrorCode.MALFORMED_REQUEST, "Malformed JSON request body: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            return JsonCodec.object();
        }
        if (!node.isObject()) {
            throw new MlflowException(ErrorCode.MALFORMED_REQUEST, "Malformed JSON request body: expected a JSON object");
        }
        return (ObjectNode) node;
    }
}
