package yardstick.magics.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;
import yardstick.kernel.magic.Environment;
import yardstick.magics.TestNotebook;
import yardstick.magics.eval.arena.Arena;
import yardstick.magics.eval.arena.Leaderboard;
import yardstick.magics.eval.judge.Calibration;
import yardstick.magics.eval.judge.Judge;
import yardstick.magics.eval.stats.Bootstrap;
import yardstick.magics.eval.stats.Krippendorff;
import yardstick.magics.eval.stats.RaterAgreement;
import yardstick.magics.track.Tracking;

/**
 * {@code %review} against a real tracker: publish, two raters answer through the same endpoint their page posts to,
 * and the notebook sees the answers in status, results, ratings, agreement, calibration and the arena's leaderboard.
 */
class ReviewMagicTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern LINK = Pattern.compile("(\\w+): (http://\\S+/review/\\S+)");
    @TempDir
    static Path dir;
    static LiveTracker tracker;
    static TestNotebook nb;

    @BeforeAll
    static void start() {
        tracker = new LiveTracker(dir);
        nb = new TestNotebook(dir);
        EvalSet s = Evals.create("caps");
        String[][] rows = {{"fr", "France", "Paris"}, {"de", "Germany", "Berlin"}, {"it", "Italy", "Rome"}, {"au", "Australia", "Canberra"}};
        for (String[] r : rows) s.add("id", r[0], "country", r[1], "answer", r[2]);
        Evals.register(s);
        Evals.system("good", (row, p) -> row.get("answer"));
        Evals.system("bad", (row, p) -> "Sydney");
        Evals.run("caps", "Capital of {{country}}?", List.of("good", "bad"), "exact");
    }

    @AfterAll
    static void stop() {
        nb.close();
        tracker.close();
    }

    static Map<String, String> links(String shared) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        Matcher x = LINK.matcher(shared);
        while (x.find()) m.put(x.group(1), x.group(2));
        return m;
    }

    /** What the page's script posts. */
    static HttpResponse<String> answer(String link, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(link + "/answer")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoRatersRateFromLinksAndTheNotebookCalibrates() throws Exception {
        String shared = (String) nb.ok("%review share caps --raters ann,bob --rubric \"5: the capital. 1: a wrong city.\"");
        Map<String, String> links = links(shared);
        assertEquals(List.of("ann", "bob"), List.copyOf(links.keySet()), shared);
        assertTrue(links.get("ann").startsWith(tracker.server.uri() + "/review/"), shared);
        // Items are row by row, good then bad: good is right, bad says Sydney (right only for... never).
        int[] ann = {5, 1, 5, 1, 5, 1, 4, 2}, bob = {5, 2, 4, 1, 5, 1, 5, 3};
        for (int p = 1; p <= 8; p++) {
            assertEquals(200, answer(links.get("ann"), "{\"position\": " + p + ", \"score\": " + ann[p - 1] + "}").statusCode());
            if (p == 8) assertEquals(200, answer(links.get("bob"), "{\"position\": 8, \"skip\": true}").statusCode());
            else assertEquals(200, answer(links.get("bob"), "{\"position\": " + p + ", \"score\": " + bob[p - 1] + ", \"rationale\": \"r" + p + "\"}").statusCode());
        }

        Table status = (Table) nb.ok("%review status caps");
        assertEquals(List.of("ann", "bob"), status.stringColumn("rater").asList());
        assertEquals(List.of(8, 7), status.intColumn("answered").asList());
        assertEquals(List.of(0, 1), status.intColumn("skipped").asList());
        Table results = (Table) nb.ok("%review results caps");
        assertEquals(16, results.rowCount());
        assertTrue(results.stringColumn("answer").asList().contains("skipped"));
        assertTrue(results.stringColumn("rationale").asList().contains("r3"));

        List<Rating> ratings = Ratings.all("caps");
        assertEquals(15, ratings.size(), "skips are not ratings");
        assertEquals(8, Ratings.byRater("caps", "ann").size());
        RaterAgreement agreement = Ratings.agreement("caps", Bootstrap.standard());
        int[][] matrix = new int[8][2];
        for (int i = 0; i < 8; i++) matrix[i] = new int[] {ann[i], i == 7 ? Krippendorff.MISSING : bob[i]};
        assertEquals(Krippendorff.ordinalAlpha(matrix), agreement.alpha().value(), 1e-12);
        assertEquals(7, agreement.pairs().get(0).items());

        // A judge that gives the good system 5 and the bad one 1 calibrates against both raters, with their ceiling.
        Judge judge = new Judge("caps", "5: the capital. 1: a wrong city.", EvalFixture.model("judge",
                u -> u.substring(u.lastIndexOf("Answer:")).contains("Sydney") ? "Score: 1\nRationale: wrong" : "Score: 5\nRationale: right",
                new ArrayList<>()), "judge", 0);
        Calibration c = Calibration.run("caps", judge, new Bootstrap(200, 1));
        assertEquals(List.of("judge vs ann", "judge vs bob", "ann vs bob (ceiling)"), c.rows().stream().map(Calibration.Row::comparison).toList());
        assertEquals(agreement.alpha().value(), c.raterAgreement().alpha().value(), 1e-12);

        String closed = (String) nb.ok("%review close caps");
        assertTrue(closed.startsWith("Closed 1 review session of caps"), closed);
        assertEquals(410, answer(links.get("ann"), "{\"position\": 1, \"score\": 3}").statusCode());
        assertEquals(15, Ratings.all("caps").size(), "closing keeps every answer");
        String runId = Reviews.sessions("caps").get(0).path("run_id").asText();
        var run = Tracking.global().client().getRun(runId);
        assertTrue(run.getData().getMetricsList().stream().anyMatch(m -> m.getKey().equals("alpha")), run.getData().toString());
        assertEquals("Set caps has no open review session.", nb.ok("%review close caps"));
    }

    @Test
    void blindVotesFromLinksFeedTheLeaderboard() throws Exception {
        Map<String, String> links = links((String) nb.ok("%review share caps --arena good,bad --raters carl"));
        for (int p = 1; p <= 4; p++) {
            String page = HTTP.send(HttpRequest.newBuilder(URI.create(links.get("carl") + "?at=" + p)).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertFalse(page.contains("good") || page.replaceAll("(?i)both bad", "").contains("bad"), page);
            // Carl prefers the capital, wherever it is shown.
            String vote = page.indexOf("Sydney") > page.indexOf("id=\"output-1\"") ? "A" : "B";
            assertEquals(200, answer(links.get("carl"), "{\"position\": " + p + ", \"vote\": \"" + vote + "\"}").statusCode());
        }
        var votes = Arena.votes("caps").stream().filter(v -> v.rater().equals("carl")).toList();
        assertEquals(4, votes.size());
        assertTrue(votes.stream().allMatch(v -> v.winner().equals("good")), votes.toString());
        Leaderboard lb = new Arena("caps", List.of("good", "bad"), "-", new java.util.Random(0)).leaderboard(200, 1);
        assertEquals("good", lb.entries().get(0).model());
        String results = nb.ok("%review results caps").toString();
        assertTrue(results.contains("good vs bad") || results.contains("bad vs good"), results);
    }

    @Test
    void aTrackerWithoutReviewsLeavesNotebookRatingsAlone() throws Exception {
        // An MLflow server answers review URLs with a 404 page: ratings go on without reviews, and %review says why.
        com.sun.net.httpserver.HttpServer mlflow = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        mlflow.createContext("/", ex -> {
            byte[] page = "<html>Not Found</html>".getBytes();
            ex.sendResponseHeaders(404, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        mlflow.start();
        try {
            Environment.shared().set("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + mlflow.getAddress().getPort());
            Tracking.reset();
            assertEquals(List.of(), Reviews.answers("caps", false));
            assertTrue(nb.fails("%review status caps").contains("reviews need a Yardstick tracker"));
        } finally {
            Tracking.reset();
            Environment.shared().set("MLFLOW_TRACKING_URI", tracker.server.uri().toString());
            mlflow.stop(0);
        }
    }

    @Test
    void mistakesAreOneClearLine() {
        assertEquals("%review: name the raters: %review share caps --raters ann,bob", nb.fails("%review share caps"));
        assertTrue(nb.fails("%review share nope --raters ann").contains("no eval set named 'nope'"));
        assertTrue(nb.fails("%review share caps --raters ann --expires 3w").contains("--expires is a duration such as 7d"));
        assertTrue(nb.fails("%review share caps --raters ann --per-rater 99").contains("per_rater is 0 (every item) to 8, not 99"));
        assertTrue(nb.fails("%review share caps --raters ann --arena good").contains("an arena needs at least two models"));
        assertTrue(nb.fails("%review share caps --raters ann --arena good,nope").contains("has no outputs of 'nope'"));
        assertTrue(nb.fails("%review share caps --raters 'a b'").contains("Rater name 'a b'"));
        assertTrue(nb.fails("%review frob caps").contains("unknown %review command 'frob'"));
        assertTrue(nb.fails("%review status never-shared").contains("has no review sessions"));
    }
}
