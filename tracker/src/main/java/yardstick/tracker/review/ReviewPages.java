package yardstick.tracker.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.server.Exchanges;
import yardstick.tracker.server.JsonBody;
import yardstick.tracker.server.JsonCodec;
import yardstick.tracker.ui.Templates;

/**
 * A rater's pages under {@code /review/TOKEN}, where the token in the link is the only credential: {@code GET} shows
 * the first unanswered item (or {@code ?at=N}), {@code GET .../done} the thank-you page, {@code POST .../answer} (JSON)
 * records an answer; {@code /review/assets/} holds the page's script and style. Nothing here lists sessions, other
 * raters or, in arena mode, model names. Pages forbid framing, referrers (the token is in the URL) and any script or
 * style not served from here.
 */
public final class ReviewPages implements HttpHandler {
    public static final String PREFIX = "/review/";
    private static final String ASSETS = PREFIX + "assets/";
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final ReviewService service;
    private final Map<String, byte[]> assets = new LinkedHashMap<>();

    public ReviewPages(ReviewService service) {
        this.service = service;
        for (String name : List.of("review.js", "review.css")) {
            try (InputStream in = ReviewPages.class.getResourceAsStream("/yardstick/tracker/review/" + name)) {
                assets.put(name, in.readAllBytes());
            } catch (IOException | NullPointerException e) {
                throw new IllegalStateException("missing resource " + name, e);
            }
        }
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Security-Policy", POLICY);
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Cache-Control", "no-store");
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        boolean api = path.endsWith("/answer");
        try {
            if (path.startsWith(ASSETS)) {
                asset(ex, path.substring(ASSETS.length()));
                return;
            }
            String[] parts = path.substring(PREFIX.length()).split("/", -1);
            String action = parts.length == 1 ? "" : parts.length == 2 ? parts[1] : null;
            if (action == null || !(action.isEmpty() || action.equals("done") || action.equals("answer"))) {
                throw new MlflowException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No such page.", 404);
            }
            String want = api ? "POST" : "GET";
            if (!method.equals(want) && !(want.equals("GET") && method.equals("HEAD"))) {
                h.set("Allow", want.equals("GET") ? "GET, HEAD" : "POST");
                throw new MlflowException(ErrorCode.BAD_REQUEST, "Method " + method + " is not allowed here", 405);
            }
            ReviewService.Access access = service.open(parts[0]);
            String base = PREFIX + parts[0];
            if (api) {
                Exchanges.sendJson(ex, 200, answer(access, JsonBody.read(ex)));
            } else if (action.equals("done")) {
                html(ex, 200, Templates.render("review/done.jte", "s", summary(access, base)));
            } else {
                Integer at = at(Exchanges.queryFields(ex.getRequestURI().getRawQuery()).path("at").asText(null));
                ReviewService.Shown shown = service.show(access, at);
                html(ex, 200, shown == null ? Templates.render("review/done.jte", "s", summary(access, base))
                        : Templates.render("review/item.jte", "v", view(access, shown, base)));
            }
        } catch (Exception | Error e) {
            Exchanges.drain(ex);
            if (api || !(e instanceof MlflowException m)) {
                Exchanges.sendError(ex, e);
            } else {
                html(ex, m.httpStatus(), Templates.render("review/message.jte", "message", m.getMessage()));
            }
        } finally {
            ex.close();
        }
    }

    private ObjectNode answer(ReviewService.Access a, ObjectNode body) {
        JsonNode position = body.get("position");
        if (position == null || !position.canConvertToInt()) throw MlflowException.invalidParameter("An answer names its position, a number");
        JsonNode score = body.get("score");
        if (score != null && !score.isNull() && !score.canConvertToInt()) throw MlflowException.invalidParameter("score is a number from 1 to 5");
        String choice = body.path("vote").isTextual() ? body.path("vote").asText().toUpperCase(Locale.ROOT) : null;
        JsonNode rationale = body.get("rationale");
        int next = service.answer(a, position.asInt(), score == null || score.isNull() ? null : score.asInt(), choice,
                body.path("skip").asBoolean(false), rationale == null || rationale.isNull() ? null : rationale.asText());
        ObjectNode out = JsonCodec.object().put("next", next).put("total", a.queue().slots().size());
        return out;
    }

    private static Integer at(String value) {
        if (value == null || value.isEmpty()) return null;
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw MlflowException.invalidParameter("'at' is a position, a number, not '" + value + "'");
        }
    }

    private static ReviewView view(ReviewService.Access a, ReviewService.Shown s, String base) {
        List<ReviewView.Field> input = new ArrayList<>();
        s.item().input().forEach((k, v) -> input.add(new ReviewView.Field(k, SafeMarkdown.html(v))));
        List<String> outputs = s.outputs().stream().map(SafeMarkdown::html).toList();
        var prev = s.previous();
        return new ReviewView(a.session().name(), a.session().mode() == ReviewSession.Mode.ARENA, base, s.position(), s.total(),
                s.answered(), input, SafeMarkdown.html(s.item().context()), outputs, SafeMarkdown.html(a.session().rubric()),
                prev == null ? null : prev.score(), prev == null ? null : prev.choice(), prev == null ? "" : prev.rationale(),
                prev != null && prev.skipped());
    }

    private ReviewSummary summary(ReviewService.Access a, String base) {
        List<Answer> own = service.own(a);
        boolean arena = a.session().mode() == ReviewSession.Mode.ARENA;
        int skipped = 0, sum = 0, scored = 0;
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (arena) for (String c : List.of("A", "B", "Tie", "Both bad")) counts.put(c, 0);
        else for (int s = 5; s >= 1; s--) counts.put("Score " + s, 0);
        for (Answer x : own) {
            if (x.skipped()) {
                skipped++;
            } else if (arena) {
                counts.merge(switch (x.choice()) {
                    case "TIE" -> "Tie";
                    case "BOTH_BAD" -> "Both bad";
                    default -> x.choice();
                }, 1, Integer::sum);
            } else {
                counts.merge("Score " + x.score(), 1, Integer::sum);
                sum += x.score();
                scored++;
            }
        }
        List<ReviewSummary.Count> list = new ArrayList<>();
        counts.forEach((k, v) -> list.add(new ReviewSummary.Count(k, v)));
        String mean = scored == 0 ? null : String.format(Locale.ROOT, "%.2f", (double) sum / scored);
        return new ReviewSummary(a.session().name(), base, a.queue().slots().size(), own.size() - skipped, skipped, list, mean);
    }

    private void asset(HttpExchange ex, String name) throws IOException {
        byte[] body = assets.get(name);
        if (body == null || !(ex.getRequestMethod().equals("GET") || ex.getRequestMethod().equals("HEAD"))) {
            throw new MlflowException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No such file.", 404);
        }
        ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
        Exchanges.send(ex, 200, name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8", body);
    }

    private static void html(HttpExchange ex, int status, String page) throws IOException {
        Exchanges.send(ex, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }
}
