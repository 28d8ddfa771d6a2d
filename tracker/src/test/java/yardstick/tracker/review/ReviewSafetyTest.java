package yardstick.tracker.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import yardstick.tracker.Http;
import yardstick.tracker.RunningTracker;
import yardstick.tracker.TestFiles;
import yardstick.tracker.TrackerConfig;
import yardstick.tracker.TrackerServer;
import yardstick.tracker.server.JsonCodec;

/** A link opens its rater's own queue and nothing else; arena pages name no model; the tracker token guards the rest. */
class ReviewSafetyTest {
    @Test
    void aLinkShowsItsOwnRatersQueueOnly() {
        try (RunningTracker t = new RunningTracker()) {
            String base = t.uri();
            JsonNode s = Reviewing.publish(base, Reviewing.request("private", "rate", 2, List.of("ann", "bob")));
            String ann = s.path("links").path("ann").asText(), bob = s.path("links").path("bob").asText();
            Reviewing.answer(base, bob, Reviewing.score(1, 2).put("rationale", "bob-secret-note"));
            String annPage = Http.get(base + ann + "?at=1").body();
            assertFalse(annPage.contains("bob-secret-note") || annPage.contains("score chosen"), "ann sees nothing of bob's answer");
            assertFalse(annPage.contains(bob.substring(8)), "nor bob's link");
            assertTrue(Http.get(base + bob + "?at=1").body().contains("bob-secret-note"));

            // No listing, no guessing: anything but a valid token is "not valid" and shows nothing.
            assertEquals(404, Http.get(base + "/review/").status());
            assertEquals(404, Http.get(base + "/review/assets/").status());
            Http.Answer guess = Http.get(base + "/review/" + "A".repeat(43));
            assertEquals(404, guess.status());
            assertTrue(guess.body().contains("not valid") && !guess.body().contains("private"), guess.body());
            assertEquals(404, Http.get(base + ann + "/answers").status());
            assertEquals(404, Http.get(base + ann + "/x/y").status());
        }
    }

    @Test
    void arenaPagesAndAnswersNameNoModel() {
        try (RunningTracker t = new RunningTracker()) {
            String base = t.uri();
            JsonNode s = Reviewing.publish(base, Reviewing.request("blind", "arena", 4, List.of("ann")));
            String ann = s.path("links").path("ann").asText();
            for (int p = 1; p <= 4; p++) {
                String page = Http.get(base + ann + "?at=" + p).body();
                assertFalse(page.contains(Reviewing.SECRET_MODEL) || page.contains("baseline"), page);
                assertTrue(page.contains("A is better") && page.contains("Town "), page);
                Http.Answer a = Reviewing.answer(base, ann, JsonCodec.object().put("position", p).put("vote", p % 2 == 0 ? "A" : "TIE"));
                assertEquals(200, a.status());
                assertFalse(a.body().contains(Reviewing.SECRET_MODEL) || a.body().contains("baseline"), a.body());
                assertEquals(List.of("next", "total"), iterable(a.json()), "every answer has the same shape, whatever was chosen");
            }
            String done = Http.get(base + ann + "/done").body();
            assertFalse(done.contains(Reviewing.SECRET_MODEL) || done.contains("baseline"), done);
            assertTrue(done.contains("answered 4 of 4"), done);
            // The notebook's results do name them, and resolve each vote to the pair as the rater saw it.
            JsonNode results = Reviewing.apiGet(base, "results?session_id=" + s.path("session_id").asText(), null).json();
            for (JsonNode a : results.path("answers")) {
                assertEquals(List.of("baseline", Reviewing.SECRET_MODEL),
                        java.util.stream.Stream.of(a.path("model_a").asText(), a.path("model_b").asText()).sorted().toList());
            }
        }
    }

    private static List<String> iterable(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void offLoopbackOnlyRaterLinksWorkWithoutTheTrackerToken() {
        try (RunningTracker t = new RunningTracker(c -> c.withHost("0.0.0.0").withToken("s3cret"))) {
            String base = "http://127.0.0.1:" + t.server.port();
            assertEquals(401, Reviewing.api(base, "create", Reviewing.request("x", "rate", 1, List.of("ann")), null).status());
            assertEquals(401, Reviewing.apiGet(base, "list", null).status());
            assertEquals(401, Http.get(base + "/reviews").status());
            Http.Answer created = Reviewing.api(base, "create", Reviewing.request("guarded", "rate", 2, List.of("ann")), "s3cret");
            assertEquals(200, created.status(), created.body());
            String ann = created.json().path("links").path("ann").asText();
            assertEquals(200, Http.get(base + ann).status());
            assertEquals(200, Http.get(base + "/review/assets/review.js").status());
            assertEquals(200, Reviewing.answer(base, ann, Reviewing.score(1, 3)).status());
            // The token does not open anything else either.
            assertEquals(401, Http.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/experiments/get?experiment_id=0"))
                    .header("Authorization", "Bearer " + ann.substring(8))).status());
            String list = Http.send(HttpRequest.newBuilder(URI.create(base + "/reviews")).header("Authorization", "Bearer s3cret")).body();
            assertTrue(list.contains("guarded") && list.contains("1 of 2") && !list.contains(ann), "the UI lists it, without links");
        }
    }

    @Test
    void answersOnlyComeAsJsonFromThisTrackersOwnPages() throws Exception {
        try (RunningTracker t = new RunningTracker()) {
            String base = t.uri();
            String ann = Reviewing.publish(base, Reviewing.request("csrf", "rate", 1, List.of("ann"))).path("links").path("ann").asText();
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + ann)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'"), policy);
            assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""));
            Http.Answer form = Http.send(HttpRequest.newBuilder(URI.create(base + ann + "/answer"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("position=1&score=5")));
            assertEquals(400, form.status());
            Http.Answer crossSite = Http.send(HttpRequest.newBuilder(URI.create(base + ann + "/answer")).header("Origin", "http://evil.example")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Reviewing.score(1, 5).toString())));
            assertEquals(403, crossSite.status());
            Http.Answer get = Http.get(base + ann + "/answer");
            assertEquals(405, get.status());
            JsonNode results = Reviewing.apiGet(base, "list?name=csrf", null).json();
            assertEquals(0, results.path("sessions").get(0).path("progress").get(0).path("answered").asInt(), "none of those was saved");
        }
    }

    @Test
    void aRestartedTrackerResumesWhereTheRaterLeftOff() throws Exception {
        Path dir = Files.createTempDirectory("yardstick-review-restart-");
        TrackerConfig config = TrackerConfig.defaults().withPort(0).withStore("sqlite:" + dir.resolve("tracker.db"))
                .withArtifactRoot(dir.resolve("artifacts"));
        String ann;
        int port;
        try (TrackerServer first = TrackerServer.start(config)) {
            port = first.port();
            ann = Reviewing.publish(first.uri().toString(), Reviewing.request("restart", "rate", 3, List.of("ann"))).path("links").path("ann").asText();
            Reviewing.answer(first.uri().toString(), ann, Reviewing.score(1, 4));
        }
        try (TrackerServer second = TrackerServer.start(config.withPort(port))) {
            String base = second.uri().toString();
            assertTrue(Http.get(base + ann).body().contains("2 of 3 · 1 answered"));
            assertEquals(3, Reviewing.answer(base, ann, Reviewing.score(2, 5)).json().path("next").asInt());
        } finally {
            TestFiles.deleteTree(dir);
        }
    }
}
