package yardstick.magics.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;
import yardstick.magics.eval.judge.Judge;

class EvalRunTest {
    static Path home;

    @BeforeAll
    static void setUp() throws Exception {
        home = EvalFixture.home();
    }

    static EvalSet capitals(String name) {
        EvalSet s = Evals.create(name);
        s.add("id", "fr", "country", "France", "answer", "Paris");
        s.add("id", "de", "country", "Germany", "answer", "Berlin");
        s.add("id", "it", "country", "Italy", "answer", "Rome");
        return Evals.register(s);
    }

    @Test
    void setsFromFilesAndTablesShareOneDigest(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("s.jsonl"), "{\"q\": \"2+2\", \"answer\": 4}\n\n{\"q\": \"3+3\", \"answer\": \"6\"}\n");
        Files.writeString(dir.resolve("s.csv"), "q,answer\n2+2,4\n3+3,6\n");
        EvalSet a = EvalSet.fromFile("s", dir.resolve("s.jsonl")), b = EvalSet.fromFile("s", dir.resolve("s.csv"));
        assertEquals(2, a.size());
        assertEquals(a.digest(), b.digest());
        assertEquals(a.digest(), EvalSet.fromTable("s", a.toTable()).digest());
        b.add("q", "1+1", "answer", "2");
        assertNotEquals(a.digest(), b.digest());
        Files.writeString(dir.resolve("bad.jsonl"), "{\"q\": 1}\n[1, 2]\n");
        assertEquals("bad.jsonl line 2: a row is a JSON object, not array",
                assertThrows(EvalException.class, () -> EvalSet.fromFile("bad", dir.resolve("bad.jsonl"))).getMessage());
        assertTrue(assertThrows(EvalException.class, () -> a.add("q", "2+2", "answer", "4")).getMessage().contains("already has a row"));
    }

    @Test
    void runsEverySystemScoresAndKeepsOutputs() {
        capitals("caps");
        Evals.system("lookup", (row, prompt) -> Map.of("France", "Paris", "Germany", "Berlin").getOrDefault(row.get("country"), "Milan"));
        Evals.system("shout", (row, prompt) -> prompt.toUpperCase());
        EvalResult r = Evals.run("caps", "Capital of {{country}}?", List.of("lookup", "shout"), "exact,contains,rouge");
        Table summary = r.summary();
        assertEquals(List.of("lookup", "shout"), summary.stringColumn("model").asList());
        assertEquals(2.0 / 3, summary.doubleColumn("exact_mean").get(0), 1e-12);
        assertEquals(0.0, summary.doubleColumn("exact_mean").get(1), 1e-12);
        Table rows = r.rows();
        assertEquals(6, rows.rowCount());
        assertEquals("CAPITAL OF FRANCE?", rows.stringColumn("output").get(3));
        Map<String, Map<String, String>> kept = Evals.outputs("caps", null);
        assertEquals("Milan", kept.get("lookup").get("it"));
        assertEquals(r.digest(), Evals.set("caps").digest());
    }

    /** A scorer of the notebook's own, as a cell would define one. */
    record Initial(String name) implements Scorer {
        public Score score(Map<String, String> row, String output) {
            return Score.pass(output.startsWith(row.get("answer").substring(0, 1)));
        }
    }

    @Test
    void registeredScorersScoreByNameAndBuiltInNamesStayBuiltIn() {
        capitals("own");
        Evals.system("lookup2", (row, prompt) -> Map.of("France", "Paris", "Germany", "Bonn").getOrDefault(row.get("country"), "Milan"));
        Evals.scorer(new Initial("initial"));
        Evals.scorer("Length", (row, out) -> Score.of(out.length()));
        Table summary = Evals.run("own", "Capital of {{country}}?", List.of("lookup2"), "exact,initial,length").summary();
        assertEquals(1.0 / 3, summary.doubleColumn("exact_mean").get(0), 1e-12);
        assertEquals(2.0 / 3, summary.doubleColumn("initial_mean").get(0), 1e-12);
        assertEquals((5 + 4 + 5) / 3.0, summary.doubleColumn("Length_mean").get(0), 1e-12);
        assertEquals("'exact' is a built-in scorer: give yours another name",
                assertThrows(EvalException.class, () -> Evals.scorer(new Initial("exact"))).getMessage());
        assertTrue(assertThrows(EvalException.class, () -> Evals.run("own", "{{country}}", List.of("lookup2"), "nosuch"))
                .getMessage().contains("or a scorer registered with Evals.scorer"));
        // A lambda given to Evals.scorer or Evals.system can be serialized (to run on Spark executors).
        assertTrue(Evals.registeredScorer("length") instanceof java.io.Serializable);
        assertTrue(Evals.systemFunction("lookup2") instanceof java.io.Serializable);
    }

    @Test
    void aMissingTemplateFieldIsNamedBeforeAnyCall() {
        EvalSet s = Evals.create("holes");
        s.add("country", "France", "answer", "Paris");
        s.add("nation", "Spain", "answer", "Madrid");
        Evals.register(s);
        AtomicInteger calls = new AtomicInteger();
        Evals.system("counting", (row, prompt) -> {
            calls.incrementAndGet();
            return "x";
        });
        EvalException e = assertThrows(EvalException.class, () -> Evals.run("holes", "Capital of {{country}}?", List.of("counting"), "exact"));
        assertEquals("row 2 (key " + s.key(1) + ") of holes has no field 'country', which the template needs as {{country}}; nothing was sent",
                e.getMessage());
        assertEquals(0, calls.get());
    }

    @Test
    void judgeScoresWithRationaleAndANonScoreIsAFailureNotAZero() {
        capitals("judged");
        Evals.system("lookup", (row, prompt) -> Map.of("France", "Paris", "Germany", "Berlin").getOrDefault(row.get("country"), "Milan"));
        List<String> seen = new CopyOnWriteArrayList<>();
        var judgeModel = EvalFixture.model("judge", user -> user.contains("Milan") ? "I would say it is quite wrong."
                : user.contains("Berlin") ? "**Score:** 4/5\nRationale: right city, terse." : "Score: 5\nRationale: correct.", seen);
        Evals.judge("judged", new Judge("judged", "5 if the capital is right, 1 if wrong.", judgeModel, "judge", 0));
        EvalResult r = Evals.run("judged", "Capital of {{country}}?", List.of("lookup"), "exact,judge");
        EvalResult.Outputs o = r.outputs("lookup");
        List<Score> js = o.scores().get("judge");
        assertEquals(5, js.get(0).value());
        assertEquals("correct.", js.get(0).note());
        assertEquals(4, js.get(1).value());
        assertTrue(js.get(2).failed());
        assertTrue(js.get(2).note().startsWith("judge failure: no score in \"I would say"), js.get(2).note());
        Table summary = r.summary();
        assertEquals(4.5, summary.doubleColumn("judge_mean").get(0), 1e-12, "the failure is left out, not counted as 0");
        assertEquals(1, summary.intColumn("judge_failures").get(0));
        assertTrue(r.rows().doubleColumn("judge").isMissing(2));
        assertEquals(3, seen.size());
        assertTrue(seen.get(0).contains("Rubric:\n5 if the capital is right"), seen.get(0));
    }

    @Test
    void judgeAnswersParse() {
        assertEquals(3, Judge.parse("Score: 3\nRationale: fine").value());
        assertEquals(2, Judge.parse("{\"score\": 2, \"rationale\": \"weak\"}").value());
        assertEquals("weak", Judge.parse("{\"score\": 2, \"rationale\": \"weak\"}").note());
        assertEquals(5, Judge.parse("5").value());
        assertTrue(Judge.parse("Score: 7").failed());
        assertTrue(Judge.parse("Score: 3.5").failed());
        assertTrue(Judge.parse("excellent").failed());
        assertTrue(Judge.parse("").failed());
    }

    @Test
    void fewShotExamplesComeFromHumanRatingsButNeverTheJudgedItem() {
        capitals("shots");
        Evals.system("lookup", (row, prompt) -> Map.of("France", "Paris", "Germany", "Berlin").getOrDefault(row.get("country"), "Milan"));
        Evals.run("shots", "Capital of {{country}}?", List.of("lookup"), "exact");
        Ratings.save("shots", new Rating("fr", "lookup", "Paris", 5, "right", "ann", 1));
        Ratings.save("shots", new Rating("it", "lookup", "Milan", 1, "wrong city", "ann", 2));
        List<String> seen = new CopyOnWriteArrayList<>();
        Judge j = new Judge("shots", "Grade the capital.", EvalFixture.model("j", u -> "Score: 3", seen), "j", 3);
        Evals.judge("shots", j);
        Evals.run("shots", "Capital of {{country}}?", List.of("lookup"), "judge");
        String forFrance = seen.stream().filter(u -> u.endsWith("Answer:\nParis")).findFirst().orElseThrow();
        assertTrue(forFrance.contains("Answer:\nMilan\nScore: 1\nRationale: wrong city"), forFrance);
        assertTrue(!forFrance.contains("Answer:\nParis\nScore: 5"), "the item judged is not its own example");
        String forGermany = seen.stream().filter(u -> u.endsWith("Answer:\nBerlin")).findFirst().orElseThrow();
        assertTrue(forGermany.contains("Answer:\nParis\nScore: 5") && forGermany.contains("Answer:\nMilan\nScore: 1"), forGermany);
    }

    static List<String> lines(String set, String file) {
        List<String> l = new ArrayList<>();
        Evals.lines(set, file).forEach(n -> l.add(n.toString()));
        return l;
    }
}
