package yardstick.tracker.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import yardstick.tracker.artifacts.ArtifactEntry;
import yardstick.tracker.artifacts.ArtifactRepository;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;

/**
 * The artifact proxy of {@code mlflow server --serve-artifacts}: PUT, GET and DELETE on
 * {@code /api/2.0/mlflow-artifacts/artifacts/<path>}, and GET on the bare prefix with {@code ?path=} to list. Any
 * other method, POST included (what an HTML form can send), is 405.
 */
public final class ArtifactHandler implements HttpHandler {
    public static final String PREFIX = "/api/2.0/mlflow-artifacts/artifacts";

    private final ArtifactRepository repository;

    public ArtifactHandler(ArtifactRepository repository) {
        this.repository = repository;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            // The raw path keeps percent-escapes, so encoded traversal attempts are seen and refused.
            String raw = ex.getRequestURI().getRawPath();
            if (!raw.startsWith(PREFIX)) {
                throw new MlflowException(ErrorCode.ENDPOINT_NOT_FOUND, "No artifact endpoint at " + raw);
            }
            String rest = raw.substring(PREFIX.length());
            if (rest.isEmpty() || rest.equals("/")) {
                if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                    throw notAllowed(ex, "GET, HEAD", "Method " + ex.getRequestMethod() + " is not allowed for listing"
                            + " artifacts; use GET");
                }
                var fields = Exchanges.queryFields(ex.getRequestURI().getRawQuery());
                String path = fields.hasNonNull("path") ? fields.get("path").asText() : "";
                list(ex, path);
                return;
            }
            if (!rest.startsWith("/")) {
                throw new MlflowException(ErrorCode.ENDPOINT_NOT_FOUND, "No artifact endpoint at " + raw);
            }
            String encoded = rest.substring(1);
            ArtifactRepository.checkRelative(encoded);
            String path = decodePath(encoded);
            switch (ex.getRequestMethod()) {
                case "PUT" -> upload(ex, path);
                case "GET", "HEAD" -> download(ex, path);
                case "DELETE" -> {
                    repository.delete(path);
                    Exchanges.sendJson(ex, 200, JsonCodec.object());
                }
                default -> throw notAllowed(ex, "DELETE, GET, HEAD, PUT", "Method " + ex.getRequestMethod()
                        + " is not allowed for an artifact; use PUT to upload, GET to download, DELETE to delete");
            }
        } catch (Exception | Error e) {
            // Drain first: answering closes the exchange, and closing it with much of the body unread resets the
            // connection, which can reach the client before the error answer does.
            Exchanges.drain(ex);
            Exchanges.sendError(ex, e);
        } finally {
            ex.close();
        }
    }

    /** 405 with MLflow's error JSON and the Allow header: uploads are PUT only, as in MLflow's artifact service. */
    private static MlflowException notAllowed(HttpExchange ex, String allow, String message) {
        ex.getResponseHeaders().set("Allow", allow);
        return new MlflowException(ErrorCode.BAD_REQUEST, message, 405);
    }

    private static String decodePath(String encoded) {
        String decoded = yardstick.tracker.artifacts.ArtifactUris.decodePathOnce(encoded);
        if (decoded == null) {
            throw MlflowException.invalidParameter("Invalid path: " + encoded);
        }
        return decoded;
    }

    private void upload(HttpExchange ex, String path) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > repository.maxUploadBytes()) {
                    throw MlflowException.invalidParameter("Artifact '" + path + "' exceeds the upload size limit of "
                            + repository.maxUploadBytes() + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new MlflowException(ErrorCode.BAD_REQUEST, "Invalid Content-Length");
            }
        }
        // Left open: closing it would discard only 64 KiB of a refused upload's rest; the handler drains it all.
        repository.write(path, ex.getRequestBody());
        Exchanges.sendJson(ex, 200, JsonCodec.object());
    }

    private void download(HttpExchange ex, String path) throws IOException {
        Path file = repository.file(path);
        long size = Files.size(file);
        ex.getResponseHeaders().set("Content-Type", ContentTypes.of(file.getFileName().toString()));
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // Artifacts are untrusted: an HTML one must not run script with this origin's credentials.
        ex.getResponseHeaders().set("Content-Security-Policy", "sandbox");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(200, size == 0 ? -1 : size);
        if (size > 0) {
            try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    private void list(HttpExchange ex, String path) throws IOException {
        ObjectNode out = JsonCodec.object();
        ArrayNode files = out.putArray("files");
        for (ArtifactEntry e : repository.list(path)) {
            ObjectNode f = files.addObject().put("path", e.name()).put("is_dir", e.directory());
            if (!e.directory()) {
                f.put("file_size", e.size());
            }
        }
        Exchanges.sendJson(ex, 200, out);
    }
}
