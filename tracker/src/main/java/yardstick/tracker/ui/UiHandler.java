package yardstick.tracker.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import yardstick.tracker.artifacts.ArtifactRepository;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.server.Exchanges;
import yardstick.tracker.store.TrackerStore;

/**
 * The history UI: server-rendered pages under {@code /} by GET, and the pages' own forms by POST, each of which must
 * carry the form token its page was rendered with ({@link FormTokens}).
 */
public final class UiHandler implements HttpHandler {
    /** A form's fields are a few short values; anything longer is not one of ours. */
    private static final int MAX_FORM_BYTES = 64 * 1024;

    private final FormTokens tokens = new FormTokens();
    private final Pages pages;
    private final StaticFiles files = new StaticFiles();

    public UiHandler(TrackerStore store, ArtifactRepository artifacts) {
        this.pages = new Pages(store, artifacts, tokens);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            // The UI's pages may frame each other (an HTML artifact), but no other site may frame them over its own.
            ex.getResponseHeaders().set("X-Frame-Options", "SAMEORIGIN");
            String method = ex.getRequestMethod();
            Pages.Response r;
            if (method.equals("GET") || method.equals("HEAD")) {
                String path = ex.getRequestURI().getRawPath();
                r = path.startsWith(StaticFiles.PREFIX) ? files.serve(path)
                        : pages.render(path, Exchanges.queryFields(ex.getRequestURI().getRawQuery()));
            } else if (method.equals("POST")) {
                r = post(ex);
            } else {
                ex.getResponseHeaders().set("Allow", "GET, HEAD, POST");
                Exchanges.send(ex, 405, "text/plain; charset=utf-8", "Method not allowed".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (r.headers() != null) {
                r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            }
            Exchanges.send(ex, r.status(), r.contentType(), r.body());
        } catch (MlflowException e) {
            Exchanges.drain(ex);
            String page = Pages.error(e.getMessage());
            Exchanges.send(ex, e.httpStatus(), "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            Exchanges.drain(ex);
            Exchanges.sendError(ex, e);
        } finally {
            ex.close();
        }
    }

    /** A form post: url-encoded fields that must include the token for this very path. */
    private Pages.Response post(HttpExchange ex) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/x-www-form-urlencoded")) {
            throw new MlflowException(ErrorCode.BAD_REQUEST,
                    "The UI's forms post application/x-www-form-urlencoded", 415);
        }
        // Left open: a refused form's rest is drained before answering (see Exchanges.drain).
        byte[] body = ex.getRequestBody().readNBytes(MAX_FORM_BYTES + 1);
        if (body.length > MAX_FORM_BYTES) {
            throw new MlflowException(ErrorCode.BAD_REQUEST, "Form too large", 413);
        }
        ObjectNode fields = Exchanges.queryFields(new String(body, StandardCharsets.US_ASCII));
        String path = ex.getRequestURI().getPath();
        if (!tokens.valid(path, fields.path(FormTokens.FIELD).asText(null))) {
            throw new MlflowException(ErrorCode.PERMISSION_DENIED, "This form did not come from a"
                    + " page of this tracker, or the tracker has restarted since the page was loaded: reload the page and"
                    + " try again.");
        }
        return pages.act(path, fields);
    }
}
