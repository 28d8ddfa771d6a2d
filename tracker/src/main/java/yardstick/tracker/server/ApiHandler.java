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

/**
 * Serves {@code /api/2.0/mlflow/*}: the tracking endpoints and the Model Registry's. JSON bodies for POST, PATCH
 * and DELETE (as MLflow's clients send them), query strings for GET.
 */
public final class ApiHandler implements HttpHandler {
    public static final String PREFIX = "/api/2.0/mlflow/";
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private final RestApi api;
    private final RegistryApi registry;

    public ApiHandler(TrackerStore store, ArtifactRepository artifacts) {
        this.api = new RestApi(store, artifacts);
        this.registry = new RegistryApi(store.modelRegistry());
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String endpoint = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
            String method = ex.getRequestMethod();
            ObjectNode fields = switch (method) {
                case "GET", "HEAD" -> Exchanges.queryFields(ex.getRequestURI().getRawQuery());
                case "POST", "PATCH", "PUT" -> body(ex);
                // A DELETE carries its fields in a JSON body; a query string is read when there is no body.
                case "DELETE" -> {
                    ObjectNode b = body(ex);
                    yield b.isEmpty() ? Exchanges.queryFields(ex.getRequestURI().getRawQuery()) : b;
                }
                default -> throw new MlflowException(ErrorCode.BAD_REQUEST, "Method " + method + " not allowed");
            };
            Request request = new Request(fields, ex.getRequestHeaders().getFirst("User-Agent"));
            ObjectNode answer;
            if (registry.serves(endpoint)) {
                answer = registry.handle(method, endpoint, request);
            } else if (method.equals("DELETE")) {
                throw new MlflowException(ErrorCode.BAD_REQUEST, "Method DELETE not allowed for " + endpoint);
            } else {
                answer = api.handle(endpoint, request);
            }
            Exchanges.sendJson(ex, 200, answer);
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
