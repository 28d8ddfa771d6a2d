package yardstick.tracker.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * REST endpoints by path and HTTP method, each bound to the method MLflow binds it to (service.proto,
 * model_registry.proto): a request with any other method is refused before its body is read.
 */
final class Routes {
    @FunctionalInterface
    interface Endpoint {
        ObjectNode handle(Request request);
    }

    /** Endpoint path (after {@code /api/2.0/mlflow/}) to its handler per method; methods kept sorted for Allow. */
    private final Map<String, Map<String, Endpoint>> byPath = new HashMap<>();

    /** Binds {@code path} to {@code endpoint} for {@code method}. */
    void on(String method, String path, Endpoint endpoint) {
        byPath.computeIfAbsent(path, p -> new TreeMap<>()).put(method, endpoint);
    }

    /** Binds a read-only endpoint to GET and to each of {@code alsoMethods}. */
    void read(String path, Endpoint endpoint, String... alsoMethods) {
        on("GET", path, endpoint);
        for (String m : alsoMethods) {
            on(m, path, endpoint);
        }
    }

    /** The methods {@code path} is bound to; empty when there is no such endpoint. */
    Set<String> methods(String path) {
        Map<String, Endpoint> m = byPath.get(path);
        return m == null ? Set.of() : Collections.unmodifiableSet(m.keySet());
    }

    /** The endpoint for {@code method} on {@code path}, or null; HEAD is served as GET. */
    Endpoint find(String method, String path) {
        Map<String, Endpoint> m = byPath.get(path);
        return m == null ? null : m.get(method.equals("HEAD") ? "GET" : method);
    }
}
