package yardstick.magics.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.protocol.Json;
import yardstick.magics.eval.arena.Arena;
import yardstick.magics.eval.arena.ArenaMagic;
import yardstick.magics.eval.arena.Leaderboard;
import yardstick.magics.eval.arena.Vote;
import yardstick.magics.eval.judge.Calibration;
import yardstick.magics.eval.judge.Judge;
import yardstick.magics.eval.stats.Bootstrap;

/**
 * Rating, voting and calibration as a front end drives them: comm messages through the kernel's CommManager with a
 * transport that records what the kernel sends, and answers files as a headless run reads them.
 */
class PeopleFlowTest {
    record Sent(String type, ObjectNode content) {}

    @BeforeAll
    static void setUp() throws Exception {
        EvalFixture.home();
    }

    static void evalTwoSystems(String set) {
        EvalSet s = Evals.create(set);
        s.add("id", "fr", "country", "France", "answer", "Paris");
        s.add("id", "de", "country", "Germany", "answer", "Berlin");
        s.add("id", "it", "country", "Italy", "answer", "Rome");
        Evals.register(s);
        Evals.system("good", (row, p) -> row.get("answer"));
        Evals.system("bad", (row, p) -> "Lyon");
        Evals.run(set, "Capital of {{country}}?", List.of("good", "bad"), "exact");
    }

    static JsonNode data(Sent s) {
        return s.content().path("data");
    }

    static void reply(CommManager m, String commId, String json) throws Exception {
        ObjectNode c = Json.object().put("comm_id", commId);
        c.set("data", Json.MAPPER.readTree(json));
        m.message(c);
    }

    @Test
    void ratingOverACommSavesEachRatingAndResumes() throws Exception {
        evalTwoSystems("rate-comm");
        List<Sent> sent = new CopyOnWriteArrayList<>();
        CommManager comms = new CommManager((type, content) -> sent.add(new Sent(type, content)));
        RateSession s = new RateSession("rate-comm", "ann", RateSession.items("rate-comm", null, null));
        assertEquals(6, s.total());
        RateMagic.openWidget(comms, s);
        assertEquals("comm_open", sent.get(0).type());
        assertEquals("yardstick.rate", sent.get(0).content().path("target_name").asText());
        String id = sent.get(0).content().path("comm_id").asText();
        JsonNode first = data(sent.get(0));
        assertEquals("fr", first.path("key").asText());
        assertEquals("France", first.path("input").path("country").asText());
        assertEquals("Paris", first.path("output").asText());

        reply(comms, id, "{\"score\": 5, \"comment\": \"right\"}");
        assertEquals("comm_msg", sent.get(1).type());
        assertEquals("Lyon", data(sent.get(1)).path("output").asText());
        reply(comms, id, "{\"score\": 9}");
        assertEquals("a rating is 1 to 5, not 9", data(sent.get(2)).path("error").asText());
        reply(comms, id, "{\"score\": 1, \"comment\": \"wrong\"}");
        reply(comms, id, "{\"stop\": true}");
        assertTrue(data(sent.get(sent.size() - 2)).path("stopped").asBoolean());
        assertEquals("comm_close", sent.get(sent.size() - 1).type());

        List<Rating> saved = Ratings.byRater("rate-comm", "ann");
        assertEquals(2, saved.size());
        assertEquals("right", saved.get(0).comment());
        // A new session picks up where this one stopped: four outputs left, the third first.
        RateSession again = new RateSession("rate-comm", "ann", RateSession.items("rate-comm", null, null));
        assertEquals(4, again.remaining());
        assertEquals("de", again.next().key());
    }

    @Test
    void arenaOverACommIsBlindUntilTheVoteAndRefusesBadVotes() throws Exception {
        evalTwoSystems("arena-comm");
        List<Sent> sent = new CopyOnWriteArrayList<>();
        CommManager comms = new CommManager((type, content) -> sent.add(new Sent(type, content)));
        Arena arena = new Arena("arena-comm", List.of("good", "bad"), "ann", new Random(3));
        assertEquals(3, arena.remaining());
        ArenaMagic.openWidget(comms, arena, 100, 1);
        String id = sent.get(0).content().path("comm_id").asText();
        JsonNode battle = data(sent.get(0)).path("battle");
        assertFalse(sent.get(0).content().toString().contains("\"good\"") || sent.get(0).content().toString().contains("\"bad\""),
                "no model names before the vote: " + sent.get(0).content());
        reply(comms, id, "{\"vote\": \"maybe\"}");
        assertEquals("a vote is A, B, tie or both bad, not 'maybe'", data(sent.get(1)).path("error").asText());
        // Vote for whichever side shows the right answer.
        String key = battle.path("key").asText();
        String right = Evals.set("arena-comm").row(Evals.set("arena-comm").indexOf(key)).get("answer");
        reply(comms, id, "{\"vote\": \"" + (battle.path("A").asText().equals(right) ? "A" : "B") + "\"}");
        JsonNode revealed = data(sent.get(2)).path("revealed");
        assertEquals("good", revealed.path("winner").asText());
        assertTrue(List.of("good", "bad").contains(revealed.path("A").asText()));
        reply(comms, id, "{\"vote\": \"tie\"}");
        reply(comms, id, "{\"vote\": \"both bad\"}");
        JsonNode last = data(sent.get(sent.size() - 2));
        assertTrue(last.path("done").asBoolean());
        assertEquals(2, last.path("leaderboard").size());
        assertEquals("comm_close", sent.get(sent.size() - 1).type());
        List<Vote> votes = Arena.votes("arena-comm");
        assertEquals(3, votes.size());
        assertEquals(Vote.Choice.BOTH_BAD, votes.get(2).choice());

        EvalException unknown = assertThrows(EvalException.class, () -> arena.vote("fr", "good", "gpt-9", "good"));
        assertEquals("unknown pair good vs gpt-9: this arena compares [good, bad]", unknown.getMessage());
        assertThrows(EvalException.class, () -> arena.vote("nope", "good", "bad", "good"));
    }

    @Test
    void answersFilesDriveHeadlessRatingAndVoting(@TempDir Path dir) throws Exception {
        evalTwoSystems("headless");
        Path answers = dir.resolve("answers.jsonl");
        Files.writeString(answers, String.join("\n",
                "{\"rater\": \"ann\", \"key\": \"fr\", \"model\": \"good\", \"score\": 5}",
                "{\"rater\": \"ann\", \"key\": \"fr\", \"model\": \"bad\", \"score\": 1, \"comment\": \"Lyon is not the capital\"}",
                "{\"rater\": \"bob\", \"key\": \"fr\", \"model\": \"good\", \"score\": 4}",
                "{\"rater\": \"bob\", \"key\": \"fr\", \"model\": \"bad\", \"score\": 2}",
                "{\"rater\": \"ann\", \"key\": \"fr\", \"models\": [\"good\", \"bad\"], \"winner\": \"good\"}",
                "{\"rater\": \"ann\", \"key\": \"de\", \"models\": [\"bad\", \"good\"], \"winner\": \"tie\"}"));
        String items = RateMagic.fromAnswers("headless", RateSession.items("headless", null, null), answers);
        assertEquals("Saved 4 ratings from answers.jsonl (0 already rated) by [ann, bob].", items);
        assertEquals("Saved 4 ratings from answers.jsonl (0 already rated) by [ann, bob].".replace("4 ratings", "0 ratings").replace("(0", "(4"),
                RateMagic.fromAnswers("headless", RateSession.items("headless", null, null), answers), "a rerun resumes: nothing new");
        assertEquals("Saved 2 votes from answers.jsonl (0 already given) by [ann].",
                ArenaMagic.fromAnswers("headless", List.of("good", "bad"), answers));
        Leaderboard lb = new Arena("headless", List.of("good", "bad"), "x", new Random(1)).leaderboard(50, 1);
        assertEquals(2, lb.votes());
        assertEquals("good", lb.entries().get(0).model());
        assertEquals(1.5, lb.entries().get(0).wins(), 1e-12, "a win and a tie");
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"rater\": \"ann\", \"key\": \"it\", \"models\": [\"good\", \"gpt-9\"], \"winner\": \"good\"}\n");
        assertEquals("unknown pair good vs gpt-9: this arena compares [good, bad]",
                assertThrows(EvalException.class, () -> ArenaMagic.fromAnswers("headless", List.of("good", "bad"), bad)).getMessage());
    }

    @Test
    void calibrationComparesTheJudgeWithEachRaterAndTheRatersWithEachOther() {
        evalTwoSystems("calib");
        String[][] rows = {{"fr", "good", "Paris", "5", "4"}, {"fr", "bad", "Lyon", "1", "2"}, {"de", "good", "Berlin", "5", "5"},
                {"de", "bad", "Lyon", "1", "1"}, {"it", "good", "Rome", "4", "5"}, {"it", "bad", "Lyon", "2", "1"}};
        for (String[] r : rows) {
            Ratings.save("calib", new Rating(r[0], r[1], r[2], Integer.parseInt(r[3]), "", "ann", 1));
            Ratings.save("calib", new Rating(r[0], r[1], r[2], Integer.parseInt(r[4]), "", "bob", 2));
        }
        // The judge gives 5 to right answers and 1 to "Lyon", except it cannot decide on Rome.
        Judge judge = new Judge("calib", "5 right, 1 wrong", EvalFixture.model("j",
                u -> u.endsWith("Answer:\nRome") ? "hard to say" : u.endsWith("Answer:\nLyon") ? "Score: 1" : "Score: 5",
                new CopyOnWriteArrayList<>()), "j", 0);
        Calibration c = Calibration.run("calib", judge, new Bootstrap(200, 1));
        assertEquals(1, c.judgeFailures());
        assertEquals(List.of("judge vs ann", "judge vs bob", "ann vs bob (ceiling)"), c.rows().stream().map(Calibration.Row::comparison).toList());
        Calibration.Row ann = c.rows().get(0);
        assertEquals(5, ann.items(), "the failed grade is left out");
        int[] human = {5, 1, 5, 1, 1}, judged = {5, 1, 5, 1, 1};
        // ann's five graded items: Paris 5, Lyon 1, Berlin 5, Lyon 1, Lyon 2 -> judge 5, 1, 5, 1, 1
        human[4] = 2;
        assertEquals(yardstick.magics.eval.stats.Agreement.quadraticKappa(human, judged, 1, 5), ann.kappa().value(), 1e-12);
        assertEquals(0.8, ann.exact().value(), 1e-12);
        assertEquals(6, c.rows().get(2).items());
        assertEquals(2, c.confusion()[4][4], "ann 5, judge 5: Paris and Berlin");
        assertEquals(1, c.confusion()[1][0], "ann 2, judge 1");
        assertNotNull(c.chart());
        assertEquals(3, c.table().rowCount());
    }
}
