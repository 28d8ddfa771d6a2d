package yardstick.tracker.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Set;
import yardstick.tracker.artifacts.ArtifactRepository;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.store.TrackerStore;

/**
 * Serves {@code /api/2.0/mlflow/*}: the tracking endpoints and the Model Registry's, each on the HTTP methods MLflow
 * binds it to. GET reads its fields from the query string; POST, PATCH and DELETE from an {@code application/json}
 * body (a DELETE without a body from its query string). Any other method is 405, before the body is read.
 */
public final class ApiHandler implements HttpHandler {
    public static final String PREFIX = "/api/2.0/mlflow/";

    private final Routes routes = new Routes();

    public ApiHandler(TrackerStore store, ArtifactRepository artifacts) {
        new RestApi(store, artifacts, routes);
        new RegistryApi(store.modelRegistry(), routes);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String endpoint = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
            String method = ex.getRequestMethod();
            Set<String> bound = routes.methods(endpoint);
            if (bound.isEmpty()) {
                throw new MlflowException(ErrorCode.ENDPOINT_NOT_FOUND, "No API endpoint named '" + endpoint + "'");
            }
            Routes.Endpoint handler = routes.find(method, endpoint);
            if (handler == null) {
                ex.getResponseHeaders().set("Allow", String.join(", ", bound));
                throw new MlflowException(ErrorCode.BAD_REQUEST, "Method " + method + " is not allowed for " + endpoint
                        + "; use " + String.join(" or ", bound), 405);
            }
            ObjectNode fields = switch (method) {
                case "GET", "HEAD" -> Exchanges.queryFields(ex.getRequestURI().getRawQuery());
                case "DELETE" -> {
                    ObjectNode b = JsonBody.read(ex);
                    yield b.isEmpty() ? Exchanges.queryFields(ex.getRequestURI().getRawQuery()) : b;
                }
                default -> JsonBody.read(ex);
            };
            Exchanges.sendJson(ex, 200, handler.handle(new Request(fields, ex.getRequestHeaders().getFirst("User-Agent"))));
        } catch (Exception | Error e) {
            // Drain first: closing the exchange with much of a refused body unread resets the connection, which
            // can reach the client before the error answer does.
            Exchanges.drain(ex);
            Exchanges.sendError(ex, e);
        } finally {
            ex.close();
        }
    }
}
