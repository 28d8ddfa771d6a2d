package yardstick.tracker.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import yardstick.tracker.artifacts.ArtifactRepository;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.server.Exchanges;
import yardstick.tracker.store.TrackerStore;

/** The history UI: server-rendered pages under {@code /}. */
public final class UiHandler implements HttpHandler {
    private final Pages pages;

    public UiHandler(TrackerStore store, ArtifactRepository artifacts) {
        this.pages = new Pages(store, artifacts);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                Exchanges.send(ex, 405, "text/plain; charset=utf-8", "Method not allowed".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Pages.Response r = pages.render(ex.getRequestURI().getRawPath(), Exchanges.queryFields(ex.getRequestURI().getRawQuery()));
            if (r.headers() != null) {
                r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            }
            Exchanges.send(ex, r.status(), r.contentType(), r.body());
        } catch (MlflowException e) {
            String page = Pages.layout("Error", "<p class=\"error\">" + Html.escape(e.getMessage()) + "</p>");
            Exchanges.send(ex, e.code().httpStatus(), "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            Exchanges.sendError(ex, e);
        } finally {
            ex.close();
        }
    }
}
