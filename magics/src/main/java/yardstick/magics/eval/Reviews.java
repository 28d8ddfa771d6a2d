package yardstick.magics.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.magics.eval.stats.Bootstrap;
import yardstick.magics.eval.stats.RaterAgreement;
import yardstick.magics.track.Tracking;

/**
 * Review sessions from Java: a set's outputs published on the tracker for people to rate 1-5 or vote on blind from
 * their own links, and their answers read back. The tracker keeps the answers; {@link Ratings#all} and the arena's
 * votes include them, so calibration and leaderboards use them like ratings given in the notebook.
 */
public final class Reviews {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(7);
    /** The links of each set's latest share in this session: the tracker keeps only their hashes. */
    private static final Map<String, Shared> SHARED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long QUIET_MILLIS = 60_000;
    private static volatile long quietUntil;
    /** Trackers known to have no review endpoints (MLflow, Databricks): not asked again. */
    private static final java.util.Set<java.net.URI> WITHOUT_REVIEWS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Reviews() {}

    /**
     * What to publish: the raters, an optional rubric, how many items each rates (0: all), when links expire, and for
     * blind pairwise votes the models to compare ({@code arena}, null for 1-5 ratings); for ratings, optionally only
     * one run's outputs or one model's.
     */
    public record Options(List<String> raters, String rubric, int perRater, Duration expires, List<String> arena, String runId,
            String model) {
        public static Options rate(String... raters) {
            return new Options(List.of(raters), "", 0, DEFAULT_EXPIRY, null, null, null);
        }

        public static Options arena(List<String> models, String... raters) {
            return new Options(List.of(raters), "", 0, DEFAULT_EXPIRY, List.copyOf(models), null, null);
        }

        public Options withRubric(String text) {
            return new Options(raters, text, perRater, expires, arena, runId, model);
        }

        public Options withPerRater(int n) {
            return new Options(raters, rubric, n, expires, arena, runId, model);
        }

        public Options withExpiry(Duration d) {
            return new Options(raters, rubric, perRater, d, arena, runId, model);
        }

        /** Rate only the outputs of one run, or of one model (either may be null). */
        public Options withOutputsOf(String run, String onlyModel) {
            return new Options(raters, rubric, perRater, expires, arena, run, onlyModel);
        }
    }

    /** A published session: one link per rater, each its rater's only credential. */
    public record Shared(String set, String sessionId, String runId, String mode, int items, Map<String, String> links) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("Review of " + set + " (" + mode + ", " + items + " items) is open. Send each rater their own link:\n");
            links.forEach((rater, url) -> sb.append("  ").append(rater).append(": ").append(url).append('\n'));
            return sb.toString().stripTrailing();
        }
    }

    /** One answer from a review page: a score (rating) or a vote A/B/TIE/BOTH_BAD on the pair as shown (arena). */
    public record Answer(String sessionId, String mode, String key, String rater, String model, String output, Integer score,
            String modelA, String modelB, String vote, String rationale, boolean skipped, long time) {
        /** This 1-5 answer as a {@link Rating}. */
        Rating rating() {
            return new Rating(key, model, output, score, rationale, rater, time);
        }
    }

    public static Shared share(String set, Options o) {
        if (o.raters() == null || o.raters().isEmpty()) throw new EvalException("name the raters: --raters ann,bob");
        ObjectNode req = JSON.createObjectNode().put("name", set).put("rubric", o.rubric() == null ? "" : o.rubric())
                .put("per_rater", o.perRater()).put("mode", o.arena() == null ? "rate" : "arena");
        if (o.expires() != null && !o.expires().isZero()) req.put("expires", System.currentTimeMillis() + o.expires().toMillis());
        o.raters().forEach(req.putArray("raters")::add);
        ArrayNode items = req.putArray("items");
        if (o.arena() == null) {
            for (RateItem i : RateSession.items(set, o.runId(), o.model())) {
                item(items, i.key(), i.row()).putArray("outputs").addObject().put("model", i.model()).put("output", i.output());
            }
        } else {
            arenaItems(set, o.arena(), items);
        }
        Tracking t = tracking();
        req.put("experiment_id", t.experimentId());
        try {
            req.put("parent_run_id", t.session().id());
        } catch (RuntimeException slowTracker) {
            // the session's run is not created yet; the review's run stands alone
        }
        ReviewClient client = client(t);
        JsonNode r = client.post("create", req);
        Map<String, String> links = new LinkedHashMap<>();
        r.path("links").fields().forEachRemaining(e -> links.put(e.getKey(), client.base().resolve(e.getValue().asText()).toString()));
        Shared shared = new Shared(set, r.path("session_id").asText(), r.path("run_id").asText(), r.path("mode").asText(),
                r.path("items").asInt(), java.util.Collections.unmodifiableMap(links));
        SHARED.put(set, shared);
        return shared;
    }

    /** The set's latest share in this session, with its links (they cannot be read back from the tracker). */
    public static Shared shared(String set) {
        Shared s = SHARED.get(set);
        if (s == null) throw new EvalException("set " + set + " has not been shared in this session: %review share " + set + " --raters ann,bob");
        return s;
    }

    private static void arenaItems(String set, List<String> models, ArrayNode items) {
        if (models.size() < 2) throw new EvalException("an arena needs at least two models, not " + models);
        if (models.stream().distinct().count() != models.size()) throw new EvalException("a model is listed twice in " + models);
        EvalSet s = Evals.set(set);
        Map<String, Map<String, String>> outputs = Evals.outputs(set, null);
        for (String m : models) {
            if (!outputs.containsKey(m)) {
                throw new EvalException("set " + set + " has no outputs of '" + m + "': run %%eval " + set + " --model " + m
                        + " first (it has " + outputs.keySet() + ")");
            }
        }
        for (int r = 0; r < s.size(); r++) {
            String key = s.key(r);
            for (int i = 0; i < models.size(); i++) {
                for (int j = i + 1; j < models.size(); j++) {
                    String a = outputs.get(models.get(i)).get(key), b = outputs.get(models.get(j)).get(key);
                    if (a == null || b == null) continue;
                    ArrayNode pair = item(items, key, s.row(r)).putArray("outputs");
                    pair.addObject().put("model", models.get(i)).put("output", a);
                    pair.addObject().put("model", models.get(j)).put("output", b);
                }
            }
        }
        if (items.isEmpty()) throw new EvalException("no row of " + set + " has outputs of two of " + models);
    }

    /** The row as the page shows it; a "context" field is shown apart, as context. */
    private static ObjectNode item(ArrayNode items, String key, Map<String, String> row) {
        ObjectNode item = items.addObject().put("key", key);
        ObjectNode input = item.putObject("input");
        row.forEach((k, v) -> {
            if (k.equals("context")) item.put("context", v);
            else input.put(k, v);
        });
        return item;
    }

    /** The set's review sessions, newest first, each with its raters' progress. */
    public static List<JsonNode> sessions(String set) {
        List<JsonNode> out = new ArrayList<>();
        client(tracking()).get("list", "name", set).path("sessions").forEach(out::add);
        return out;
    }

    /** Who answered how many of their queue, per session; also logs the raters' agreement to each session's run. */
    public static Table status(String set) {
        List<JsonNode> sessions = sessions(set);
        if (sessions.isEmpty()) throw new EvalException("set " + set + " has no review sessions: publish one with %review share " + set + " --raters ann,bob");
        StringColumn session = StringColumn.create("session"), mode = StringColumn.create("mode"), rater = StringColumn.create("rater"),
                state = StringColumn.create("state");
        IntColumn answered = IntColumn.create("answered"), skipped = IntColumn.create("skipped"), queue = IntColumn.create("queue");
        for (JsonNode s : sessions) {
            for (JsonNode p : s.path("progress")) {
                session.append(s.path("session_id").asText().substring(0, 8));
                mode.append(s.path("mode").asText());
                rater.append(p.path("rater").asText());
                answered.append(p.path("answered").asInt());
                skipped.append(p.path("skipped").asInt());
                queue.append(p.path("queue").asInt());
                state.append(s.path("open").asBoolean() ? "open" : "closed");
            }
        }
        logAgreement(sessions);
        return Table.create("review " + set, session, mode, rater, answered, skipped, queue, state);
    }

    /** Every answer, one row per item and rater; arena votes name the models, in the order the rater saw them. */
    public static Table results(String set) {
        StringColumn mode = StringColumn.create("mode"), key = StringColumn.create("key"), rater = StringColumn.create("rater"),
                model = StringColumn.create("model"), answer = StringColumn.create("answer"), rationale = StringColumn.create("rationale");
        for (Answer a : answers(set, true)) {
            mode.append(a.mode());
            key.append(a.key());
            rater.append(a.rater());
            model.append(a.model() != null ? a.model() : a.modelA() + " vs " + a.modelB());
            answer.append(a.skipped() ? "skipped" : a.score() != null ? Integer.toString(a.score())
                    : switch (a.vote()) {
                        case "A" -> a.modelA();
                        case "B" -> a.modelB();
                        case "TIE" -> "tie";
                        default -> "both bad";
                    });
            rationale.append(a.rationale());
        }
        return Table.create("review results " + set, mode, key, rater, model, answer, rationale);
    }

    /** Closes the set's open sessions: their links stop working, their runs end with the raters' agreement logged. */
    public static String close(String set) {
        ReviewClient client = client(tracking());
        List<JsonNode> sessions = sessions(set);
        int closed = 0;
        for (JsonNode s : sessions) {
            if (s.has("closed")) continue;
            client.post("close", JSON.createObjectNode().put("session_id", s.path("session_id").asText()));
            closed++;
        }
        logAgreement(sessions);
        return closed == 0 ? "Set " + set + " has no open review session." : "Closed " + closed + " review session" + (closed == 1 ? "" : "s")
                + " of " + set + ": the links no longer work.";
    }

    /**
     * The answers to the set's sessions. With {@code strict} false (what ratings and votes use), a notebook with
     * tracking off has none, and an unreachable tracker is a warning, so the notebook's own ratings still count.
     */
    public static List<Answer> answers(String set, boolean strict) {
        List<Answer> out = new ArrayList<>();
        // After a failure, ratings and votes do without the tracker for a while instead of waiting on it at each call.
        if (!strict && System.currentTimeMillis() < quietUntil) return out;
        try {
            Tracking t = Tracking.global();
            if (!t.enabled()) {
                if (strict) tracking();
                return out;
            }
            if (!strict && WITHOUT_REVIEWS.contains(t.uri())) return out;
            ReviewClient client = client(t);
            out.addAll(answersOf(client, client.get("list", "name", set).path("sessions")));
        } catch (ReviewClient.NotYardstick e) {
            WITHOUT_REVIEWS.add(Tracking.global().uri());
            if (strict) throw e;
            // An MLflow or Databricks server: there are no review answers to merge, and nothing to warn about.
        } catch (EvalException e) {
            if (strict) throw e;
            long now = System.currentTimeMillis();
            if (now >= quietUntil) {
                System.err.println("Yardstick: review answers of " + set + " are left out: " + e.getMessage());
            }
            quietUntil = now + QUIET_MILLIS;
        }
        return out;
    }

    /** The answers to these sessions, as the tracker lists them. */
    private static List<Answer> answersOf(ReviewClient client, Iterable<JsonNode> sessions) {
        List<Answer> out = new ArrayList<>();
        for (JsonNode s : sessions) {
            JsonNode r = client.get("results", "session_id", s.path("session_id").asText());
            String mode = r.path("mode").asText();
            for (JsonNode a : r.path("answers")) {
                out.add(new Answer(r.path("session_id").asText(), mode, a.path("key").asText(), a.path("rater").asText(),
                        a.path("model").asText(null), a.path("output").asText(null), a.has("score") ? a.path("score").asInt() : null,
                        a.path("model_a").asText(null), a.path("model_b").asText(null), a.path("vote").asText(null),
                        a.path("rationale").asText(""), a.path("skipped").asBoolean(), a.path("time").asLong()));
            }
        }
        return out;
    }

    /** The review pages' 1-5 ratings as {@link Rating}s (skips left out). */
    public static List<Rating> ratings(String set) {
        List<Rating> out = new ArrayList<>();
        for (Answer a : answers(set, false)) {
            if (a.score() != null && !a.skipped()) out.add(a.rating());
        }
        return out;
    }

    /** Agreement of each rating session's raters, as metrics of its run: alpha and each pair's weighted kappa. */
    private static void logAgreement(List<JsonNode> sessions) {
        Tracking t = tracking();
        // The sessions were just listed: read their answers without listing them again.
        List<Answer> all = answersOf(client(t), sessions);
        for (JsonNode s : sessions) {
            if (!s.path("mode").asText().equals("rate") || s.path("run_id").isNull()) continue;
            List<Rating> ratings = new ArrayList<>();
            for (Answer a : all) {
                if (a.sessionId().equals(s.path("session_id").asText()) && a.score() != null) {
                    ratings.add(a.rating());
                }
            }
            RaterAgreement agreement;
            try {
                agreement = Ratings.agreement(ratings, new Bootstrap(200, Bootstrap.DEFAULT_SEED));
            } catch (EvalException notEnough) {
                continue;
            }
            String run = s.path("run_id").asText();
            try {
                if (Double.isFinite(agreement.alpha().value())) t.client().logMetric(run, "alpha", agreement.alpha().value());
                for (RaterAgreement.Pair p : agreement.pairs()) {
                    if (Double.isFinite(p.kappa().value())) t.client().logMetric(run, "kappa " + p.a() + " vs " + p.b(), p.kappa().value());
                }
            } catch (RuntimeException e) {
                System.err.println("Yardstick: the raters' agreement was not logged: " + e.getMessage());
            }
        }
    }

    private static Tracking tracking() {
        Tracking t = Tracking.global();
        if (!t.enabled()) throw new EvalException("reviews live on the tracker, and tracking is off (YARDSTICK_TRACKING=off)");
        return t;
    }

    private static ReviewClient client(Tracking t) {
        return new ReviewClient(t.uri(), t.authorization());
    }
}
