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
import yardstick.kernel.widget.Html;
import yardstick.kernel.widget.Widget;
import yardstick.magics.eval.arena.Arena;
import yardstick.magics.eval.arena.ArenaMagic;
import yardstick.magics.eval.arena.ArenaWidget;
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

    /** The kernel's comms with a transport that records each message as a front end would receive it. */
    static final class FrontEnd {
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final CommManager comms = CommManager.withMetadata((type, content, metadata) -> sent.add(new Sent(type, content)));

        void click(Widget w) throws Exception {
            send(w, "{\"method\": \"custom\", \"content\": {\"event\": \"click\"}}");
        }

        void type(Widget w, String text) throws Exception {
            send(w, Json.MAPPER.writeValueAsString(java.util.Map.of("method", "update", "state", java.util.Map.of("value", text))));
        }

        void send(Widget w, String json) throws Exception {
            ObjectNode c = Json.object().put("comm_id", w.id());
            c.set("data", Json.MAPPER.readTree(json));
            comms.message(c);
        }

        /** Every widget model the front end was told of, as comm_open sent it. */
        List<JsonNode> opened() {
            return sent.stream().filter(s -> s.type().equals("comm_open")).map(s -> {
                assertEquals("jupyter.widget", s.content().path("target_name").asText());
                return s.content().path("data").path("state");
            }).toList();
        }

        /** The updates sent to one widget, oldest first. */
        List<JsonNode> updates(Widget w) {
            return sent.stream().filter(s -> s.type().equals("comm_msg") && s.content().path("comm_id").asText().equals(w.id()))
                    .map(s -> s.content().path("data").path("state")).toList();
        }
    }

    @Test
    void ratingInTheWidgetSavesEachRatingAndResumes() throws Exception {
        evalTwoSystems("rate-comm");
        FrontEnd fe = new FrontEnd();
        RateSession s = new RateSession("rate-comm", "ann", RateSession.items("rate-comm", null, null));
        assertEquals(6, s.total());
        RateWidget w = RateMagic.openWidget(fe.comms, s);
        List<String> buttons = fe.opened().stream().filter(st -> st.path("_model_name").asText().equals("ButtonModel"))
                .map(st -> st.path("description").asText()).toList();
        assertEquals(List.of("1", "2", "3", "4", "5", "Stop"), buttons);
        assertEquals("VBoxModel", fe.opened().get(fe.opened().size() - 1).path("_model_name").asText(), "the view's box comes last");
        assertTrue(w.item().value().contains("France") && w.item().value().contains("Paris"), w.item().value());

        fe.type(w.comment(), "right");
        fe.click(w.scoreButtons().get(4));
        assertTrue(w.item().value().contains("Lyon"), "the next output: " + w.item().value());
        assertEquals("", w.comment().value(), "the comment box is cleared for the next item");
        assertEquals("Saved 5 for fr.", w.status().value());
        fe.type(w.comment(), "wrong");
        fe.click(w.scoreButtons().get(0));
        fe.click(w.stopButton());
        assertEquals("Stopped with 2 rated and 4 left: run %rate rate-comm again to resume.", w.status().value());
        assertTrue(fe.updates(w.scoreButtons().get(2)).get(0).path("disabled").asBoolean(), "buttons disabled after Stop");
        fe.click(w.scoreButtons().get(2));
        assertEquals(2, Ratings.byRater("rate-comm", "ann").size(), "a click after Stop saves nothing");

        List<Rating> saved = Ratings.byRater("rate-comm", "ann");
        assertEquals("right", saved.get(0).comment());
        assertEquals(5, saved.get(0).score());
        assertEquals("wrong", saved.get(1).comment());
        assertEquals(1, saved.get(1).score());
        // A new session picks up where this one stopped: four outputs left, the third first.
        RateSession again = new RateSession("rate-comm", "ann", RateSession.items("rate-comm", null, null));
        assertEquals(4, again.remaining());
        assertEquals("de", again.next().key());
    }

    @Test
    void arenaInTheWidgetIsBlindUntilTheVoteAndEndsWithTheLeaderboard() throws Exception {
        evalTwoSystems("arena-comm");
        FrontEnd fe = new FrontEnd();
        Arena arena = new Arena("arena-comm", List.of("good", "bad"), "ann", new Random(3));
        assertEquals(3, arena.remaining());
        ArenaWidget w = ArenaMagic.openWidget(fe.comms, arena, 100, 1);
        assertEquals(List.of("A is better", "B is better", "Tie", "Both bad", "Stop"), fe.opened().stream()
                .filter(st -> st.path("_model_name").asText().equals("ButtonModel")).map(st -> st.path("description").asText()).toList());
        for (Sent sent : fe.sent) {
            String text = sent.content().toString();
            assertFalse(text.contains("good") || text.contains(">bad<"), "no model names before the vote: " + text);
        }
        // Vote for whichever side shows the right answer.
        Arena.Battle battle = arena.next();
        String right = Evals.set("arena-comm").row(Evals.set("arena-comm").indexOf(battle.key())).get("answer");
        assertTrue(w.outputs().get(0).value().contains(Html.escape(battle.outputA())));
        fe.click(w.voteButtons().get(battle.outputA().equals(right) ? 0 : 1));
        assertTrue(w.status().value().matches("A was <b>(good|bad)</b>, B was <b>(good|bad)</b>\\."), w.status().value());
        assertEquals("good", Arena.votes("arena-comm").get(0).winner());
        fe.click(w.voteButtons().get(2));
        assertEquals("", w.board().value(), "no leaderboard before the last vote");
        fe.click(w.voteButtons().get(3));
        assertTrue(w.status().value().endsWith("That was the last battle."), w.status().value());
        String board = w.board().value();
        assertTrue(board.contains("<td>good</td>") && board.contains("<td>bad</td>"), board);
        assertTrue(board.indexOf("<td>good</td>") < board.indexOf("<td>bad</td>"), "best first: " + board);
        List<Vote> votes = Arena.votes("arena-comm");
        assertEquals(3, votes.size());
        assertEquals(Vote.Choice.TIE, votes.get(1).choice());
        assertEquals(Vote.Choice.BOTH_BAD, votes.get(2).choice());
        fe.click(w.voteButtons().get(0));
        assertEquals(3, Arena.votes("arena-comm").size(), "no vote after the last battle");

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
                "{\"key\": \"de\", \"model\": \"good\", \"score\": 3}",
                "{\"rater\": \"ann\", \"key\": \"fr\", \"models\": [\"good\", \"bad\"], \"winner\": \"good\"}",
                "{\"rater\": \"ann\", \"key\": \"de\", \"models\": [\"bad\", \"good\"], \"winner\": \"tie\"}"));
        String items = RateMagic.fromAnswers("headless", RateSession.items("headless", null, null), answers, "carol");
        assertEquals("Saved 5 ratings from answers.jsonl (0 already rated) by [ann, bob, carol].", items, "a line without a rater is --rater's");
        assertEquals(3, Ratings.byRater("headless", "carol").get(0).score());
        assertEquals("Saved 0 ratings from answers.jsonl (5 already rated) by [ann, bob, carol].",
                RateMagic.fromAnswers("headless", RateSession.items("headless", null, null), answers, "carol"), "a rerun resumes: nothing new");
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
