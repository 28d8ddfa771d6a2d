package yardstick.tracker.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import yardstick.tracker.Http;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.model.Run;
import yardstick.tracker.server.JsonCodec;

/** Publishing, rating through links, resuming, results and closing, over HTTP against a real tracker. */
class ReviewFlowTest {
    private static RunningTracker tracker;
    private static String base;

    @BeforeAll
    static void start() {
        tracker = new RunningTracker();
        base = tracker.uri();
    }

    @AfterAll
    static void stop() {
        tracker.close();
    }

    @Test
    void ratersRateResumeAndTheNotebookSeesEverything() {
        JsonNode s = Reviewing.publish(base, Reviewing.request("capitals", "rate", 3, List.of("ann", "bob")));
        String ann = s.path("links").path("ann").asText(), bob = s.path("links").path("bob").asText();
        assertTrue(ann.startsWith("/review/") && !ann.equals(bob), s.toString());

        String page = Http.get(base + ann).body();
        assertTrue(page.contains("1 of 3") && page.contains("Capital of country 0?"), page);
        assertTrue(page.contains("City 0 &lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains("<script>alert"), "outputs are escaped");
        assertTrue(page.contains("<strong>right</strong>"), "the rubric's Markdown is rendered");

        JsonNode next = Reviewing.answer(base, ann, Reviewing.score(1, 4)).json();
        assertEquals(2, next.path("next").asInt());
        // A fresh load resumes at the first unanswered item.
        assertTrue(Http.get(base + ann).body().contains("2 of 3"));
        // Going back shows the earlier answer, which can be changed.
        String back = Http.get(base + ann + "?at=1").body();
        assertTrue(back.contains("score chosen\" data-score=\"4\"") && back.contains("because 4"), back);
        Reviewing.answer(base, ann, Reviewing.score(1, 5));
        assertEquals(3, Reviewing.answer(base, ann, JsonCodec.object().put("position", 2).put("skip", true)).json().path("next").asInt());
        assertEquals(0, Reviewing.answer(base, ann, Reviewing.score(3, 2)).json().path("next").asInt(), "all answered");
        String done = Http.get(base + ann).body();
        assertTrue(done.contains("Thank you") && done.contains("answered 2 of 3") && done.contains("skipped 1"), done);
        Reviewing.answer(base, bob, Reviewing.score(1, 5));

        JsonNode results = Reviewing.apiGet(base, "results?session_id=" + s.path("session_id").asText(), null).json();
        assertEquals(4, results.path("answers").size(), results.toString());
        JsonNode first = results.path("answers").get(0);
        assertEquals("baseline", first.path("model").asText());
        JsonNode progress = results.path("progress");
        assertEquals("ann", progress.get(0).path("rater").asText());
        assertEquals(2, progress.get(0).path("answered").asInt());
        assertEquals(1, progress.get(0).path("skipped").asInt());

        Run run = tracker.server.store().getRun(s.path("run_id").asText());
        assertEquals("review capitals", run.info().runName());
        assertTrue(run.latestMetrics().stream().anyMatch(m -> m.key().equals("completion") && Math.abs(m.value() - 4 / 6.0) < 1e-9),
                run.latestMetrics().toString());

        JsonNode closed = Reviewing.api(base, "close", JsonCodec.object().put("session_id", s.path("session_id").asText()), null).json();
        assertFalse(closed.path("open").asBoolean());
        Http.Answer revoked = Http.get(base + ann);
        assertEquals(410, revoked.status());
        assertTrue(revoked.body().contains("has ended"), revoked.body());
        assertEquals(410, Reviewing.answer(base, bob, Reviewing.score(2, 3)).status());
        assertEquals("FINISHED", tracker.server.store().getRun(s.path("run_id").asText()).info().status().name());
    }

    @Test
    void badAnswersAreRefusedClearlyAndChangeNothing() {
        JsonNode s = Reviewing.publish(base, Reviewing.request("bad-input", "rate", 2, List.of("ann")));
        String ann = s.path("links").path("ann").asText();
        Http.Answer six = Reviewing.answer(base, ann, Reviewing.score(1, 6));
        assertEquals(400, six.status());
        assertTrue(six.json().path("message").asText().contains("1 to 5, not 6"), six.body());
        Http.Answer far = Reviewing.answer(base, ann, Reviewing.score(9, 3));
        assertTrue(far.json().path("message").asText().contains("outside this queue (1 to 2)"), far.body());
        Http.Answer noPosition = Reviewing.answer(base, ann, JsonCodec.object().put("score", 3));
        assertTrue(noPosition.json().path("message").asText().contains("position"), noPosition.body());
        Http.Answer vote = Reviewing.answer(base, ann, JsonCodec.object().put("position", 1).put("vote", "A"));
        assertTrue(vote.json().path("message").asText().contains("score from 1 to 5"), vote.body());
        assertEquals(400, Http.get(base + ann + "?at=x").status());
        JsonNode results = Reviewing.apiGet(base, "results?session_id=" + s.path("session_id").asText(), null).json();
        assertEquals(0, results.path("answers").size());

        Http.Answer twice = Reviewing.api(base, "create", Reviewing.request("x", "rate", 1, List.of("ann", "ann")), null);
        assertTrue(twice.json().path("message").asText().contains("listed twice"), twice.body());
        Http.Answer badName = Reviewing.api(base, "create", Reviewing.request("x", "rate", 1, List.of("<ann>")), null);
        assertTrue(badName.json().path("message").asText().contains("Rater name '<ann>'"), badName.body());
        Http.Answer oneOutput = Reviewing.api(base, "create", Reviewing.request("x", "rate", 1, List.of("ann")).put("mode", "arena"), null);
        assertTrue(oneOutput.json().path("message").asText().contains("an arena item has two"), oneOutput.body());
        Http.Answer badMode = Reviewing.api(base, "create", Reviewing.request("x", "rate", 1, List.of("ann")).put("mode", "vote"), null);
        assertTrue(badMode.json().path("message").asText().contains("'rate' or 'arena'"), badMode.body());
        assertEquals(0, Reviewing.apiGet(base, "list?name=x", null).json().path("sessions").size(), "nothing was half-created");
    }

    @Test
    void perRaterQueuesAreSubsets() {
        JsonNode s = Reviewing.publish(base, Reviewing.request("subset", "rate", 10, List.of("ann", "bob")).put("per_rater", 4));
        String ann = s.path("links").path("ann").asText();
        assertTrue(Http.get(base + ann).body().contains("1 of 4"));
        Http.Answer tooMany = Reviewing.api(base, "create", Reviewing.request("subset", "rate", 3, List.of("ann")).put("per_rater", 4), null);
        assertTrue(tooMany.json().path("message").asText().contains("per_rater is 0 (every item) to 3"), tooMany.body());
    }

    @Test
    void twentyRatersAtOnceLoseNothing() throws Exception {
        List<String> raters = new ArrayList<>();
        for (int i = 0; i < 20; i++) raters.add("rater" + i);
        int items = 15;
        JsonNode s = Reviewing.publish(base, Reviewing.request("crowd", "rate", items, raters));
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            List<Future<?>> all = new ArrayList<>();
            for (String r : raters) {
                String link = s.path("links").path(r).asText();
                all.add(pool.submit(() -> {
                    for (int p = 1; p <= items; p++) {
                        Http.Answer a = Reviewing.answer(base, link, Reviewing.score(p, 1 + (p + r.length()) % 5));
                        if (a.status() != 200) throw new AssertionError(a.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) f.get();
        }
        JsonNode results = Reviewing.apiGet(base, "results?session_id=" + s.path("session_id").asText(), null).json();
        assertEquals(20 * items, results.path("answers").size());
        Set<String> distinct = new HashSet<>();
        for (JsonNode a : results.path("answers")) distinct.add(a.path("rater").asText() + "/" + a.path("key").asText());
        assertEquals(20 * items, distinct.size());
    }
}
