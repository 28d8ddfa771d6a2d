package yardstick.tracker.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.review.ReviewSession.Mode;
import yardstick.tracker.server.Exchanges;
import yardstick.tracker.server.JsonBody;
import yardstick.tracker.server.JsonCodec;

/**
 * The notebook's side of reviews, {@code /api/2.0/yardstick/reviews/*}, behind the tracker's token like the rest of
 * its API: {@code POST create}, {@code GET list?name=}, {@code GET results?session_id=}, {@code POST close}.
 * Results name the models; raters never reach this.
 */
public final class ReviewApi implements HttpHandler {
    public static final String PREFIX = "/api/2.0/yardstick/reviews/";

    private final ReviewService service;

    public ReviewApi(ReviewService service) {
        this.service = service;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            String endpoint = ex.getRequestURI().getPath().substring(PREFIX.length());
            String method = ex.getRequestMethod();
            String want = switch (endpoint) {
                case "create", "close" -> "POST";
                case "list", "results" -> "GET";
                default -> throw new MlflowException(ErrorCode.ENDPOINT_NOT_FOUND, "No review endpoint named '" + endpoint + "'");
            };
            if (!method.equals(want) && !(want.equals("GET") && method.equals("HEAD"))) {
                ex.getResponseHeaders().set("Allow", want);
                throw new MlflowException(ErrorCode.BAD_REQUEST, "Method " + method + " is not allowed for " + endpoint + "; use " + want, 405);
            }
            ObjectNode fields = want.equals("GET") ? Exchanges.queryFields(ex.getRequestURI().getRawQuery()) : JsonBody.read(ex);
            ObjectNode answer = switch (endpoint) {
                case "create" -> create(fields);
                case "close" -> session(service.close(required(fields, "session_id")), true);
                case "list" -> list(fields.path("name").asText(null));
                default -> results(required(fields, "session_id"));
            };
            Exchanges.sendJson(ex, 200, answer);
        } catch (Exception | Error e) {
            Exchanges.drain(ex);
            Exchanges.sendError(ex, e);
        } finally {
            ex.close();
        }
    }

    private ObjectNode create(ObjectNode f) {
        Mode mode = switch (f.path("mode").asText("rate")) {
            case "rate" -> Mode.RATE;
            case "arena" -> Mode.ARENA;
            default -> throw MlflowException.invalidParameter("mode is 'rate' or 'arena', not '" + f.path("mode").asText() + "'");
        };
        List<String> raters = new ArrayList<>();
        for (JsonNode r : f.path("raters")) raters.add(r.asText());
        List<ReviewItem> items = new ArrayList<>();
        for (JsonNode i : f.path("items")) {
            Map<String, String> input = new LinkedHashMap<>();
            i.path("input").fields().forEachRemaining(e -> input.put(e.getKey(), e.getValue().asText()));
            List<ReviewItem.Output> outputs = new ArrayList<>();
            for (JsonNode o : i.path("outputs")) {
                if (!o.path("model").isTextual() || !o.path("output").isTextual()) {
                    throw MlflowException.invalidParameter("Each output has a model and an output, both strings");
                }
                outputs.add(new ReviewItem.Output(o.path("model").asText(), o.path("output").asText()));
            }
            if (!i.path("key").isTextual()) throw MlflowException.invalidParameter("Each item has a key, a string");
            items.add(new ReviewItem(items.size(), i.path("key").asText(), input, i.path("context").asText(null), outputs));
        }
        ReviewService.Published p = service.publish(new ReviewService.Request(required(f, "name"), mode, f.path("rubric").asText(""),
                raters, f.path("per_rater").asInt(0), f.path("expires").asLong(0), f.path("experiment_id").asText(null), f.path("parent_run_id").asText(null), items));
        ObjectNode out = session(p.session(), false);
        ObjectNode links = out.putObject("links");
        p.tokens().forEach((rater, token) -> links.put(rater, ReviewPages.PREFIX + token));
        return out;
    }

    private ObjectNode list(String name) {
        ObjectNode out = JsonCodec.object();
        ArrayNode sessions = out.putArray("sessions");
        for (ReviewSession s : service.reviews().sessions(name)) sessions.add(session(s, true));
        return out;
    }

    /** A session with, when asked, each rater's progress: answered, skipped and queue length. */
    private ObjectNode session(ReviewSession s, boolean progress) {
        ObjectNode o = JsonCodec.object().put("session_id", s.id()).put("name", s.name()).put("mode", s.mode().name().toLowerCase())
                .put("rubric", s.rubric()).put("items", s.items()).put("created", s.created()).put("expires", s.expires())
                .put("run_id", s.runId()).put("open", s.open(System.currentTimeMillis()));
        if (s.closed() != null) o.put("closed", s.closed());
        s.models().forEach(o.putArray("models")::add);
        s.raters().forEach(o.putArray("raters")::add);
        if (progress) {
            Map<String, int[]> counts = new HashMap<>();
            for (Answer a : service.reviews().answers(s.id(), null)) {
                int[] c = counts.computeIfAbsent(a.rater(), r -> new int[2]);
                c[a.skipped() ? 1 : 0]++;
            }
            ArrayNode p = o.putArray("progress");
            for (RaterQueue q : service.reviews().queues(s.id())) {
                int[] c = counts.getOrDefault(q.rater(), new int[2]);
                p.addObject().put("rater", q.rater()).put("answered", c[0]).put("skipped", c[1]).put("queue", q.slots().size());
            }
        }
        return o;
    }

    /** Every answer with what it answered, the models named: arena choices resolved to the pair as shown. */
    private ObjectNode results(String sessionId) {
        ReviewSession s = service.reviews().session(sessionId);
        Map<Integer, ReviewItem> items = new HashMap<>();
        for (ReviewItem i : service.reviews().items(sessionId)) items.put(i.index(), i);
        ObjectNode out = session(s, true);
        ArrayNode answers = out.putArray("answers");
        for (Answer a : service.reviews().answers(sessionId, null)) {
            ReviewItem i = items.get(a.item());
            ObjectNode o = answers.addObject().put("rater", a.rater()).put("key", i.key()).put("item", a.item())
                    .put("skipped", a.skipped()).put("rationale", a.rationale()).put("time", a.time());
            if (s.mode() == Mode.RATE) {
                o.put("model", i.outputs().get(0).model()).put("output", i.outputs().get(0).text());
                if (a.score() != null) o.put("score", a.score());
            } else {
                ReviewItem.Output first = i.outputs().get(a.swapped() ? 1 : 0), second = i.outputs().get(a.swapped() ? 0 : 1);
                o.put("model_a", first.model()).put("model_b", second.model());
                if (a.choice() != null) o.put("vote", a.choice());
            }
        }
        return out;
    }

    private static String required(ObjectNode f, String name) {
        JsonNode v = f.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw MlflowException.invalidParameter("Missing value for required parameter '" + name + "'");
        }
        return v.asText();
    }
}
