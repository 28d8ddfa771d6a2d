package yardstick.magics.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorersTest {
    static final Map<String, String> ROW = Map.of("question", "Capital of France?", "answer", "Paris");

    static Scorer one(String spec, Path dir) {
        return Scorers.parse(spec, new Scorers.Context(dir, List.of("question", "answer"), null, () -> {
            throw new AssertionError("no embedder here");
        })).get(0);
    }

    @Test
    void exactContainsRegex(@TempDir Path dir) {
        assertEquals(1, one("exact", dir).score(ROW, "  Paris\n").value());
        assertEquals(0, one("exact", dir).score(ROW, "paris").value());
        assertEquals(1, one("contains", dir).score(ROW, "It is PARIS, of course.").value());
        assertEquals(0, one("contains", dir).score(ROW, "Lyon").value());
        assertEquals(1, one("regex:^P\\w+s$", dir).score(ROW, "Paris").value());
        assertEquals(0, one("regex:^\\d+$", dir).score(ROW, "Paris").value());
        assertEquals("exact", one("exact:question", dir).name());
        assertEquals(1, one("exact:question", dir).score(ROW, "Capital of France?").value());
    }

    @Test
    void jsonAndSchema(@TempDir Path dir) throws Exception {
        assertEquals(1, one("json", dir).score(ROW, "```json\n{\"a\": 1}\n```").value());
        Score bad = one("json", dir).score(ROW, "{\"a\": ");
        assertEquals(0, bad.value());
        assertTrue(bad.note().startsWith("not JSON"), bad.note());
        Files.writeString(dir.resolve("s.json"), "{\"type\":\"object\",\"required\":[\"city\"],"
                + "\"properties\":{\"city\":{\"type\":\"string\"},\"population\":{\"type\":\"integer\"}}}");
        Scorer schema = one("json:s.json", dir);
        assertEquals(1, schema.score(ROW, "{\"city\": \"Paris\", \"population\": 2100000}").value());
        Score missing = schema.score(ROW, "{\"population\": 2}");
        assertEquals(0, missing.value());
        assertTrue(missing.note().contains("city"), missing.note());
        assertEquals(0, schema.score(ROW, "{\"city\": \"Paris\", \"population\": \"many\"}").value());
    }

    @Test
    void rougeLByHand(@TempDir Path dir) {
        Map<String, String> row = Map.of("answer", "the cat is on the mat");
        // LCS of "the cat sat on the mat" and "the cat is on the mat" is "the cat on the mat": 5 words; P = R = 5/6.
        assertEquals(5.0 / 6, one("rouge", dir).score(row, "The cat sat on the mat.").value(), 1e-12);
        // "the mat" (2 of 2 words, 2 of 6): P = 1, R = 1/3, F = 2 * 1/3 / (4/3) = 0.5.
        assertEquals(0.5, one("rouge", dir).score(row, "the mat").value(), 1e-12);
        assertEquals(0, one("rouge", dir).score(row, "dog").value());
    }

    @Test
    void badListsAreRefused(@TempDir Path dir) {
        assertEquals("unknown scorer 'bleu': use exact, contains, regex:PATTERN, json, json:SCHEMA_FILE, rouge, embedding, judge or a scorer registered with Evals.scorer",
                assertThrows(EvalException.class, () -> one("bleu", dir)).getMessage());
        assertTrue(assertThrows(EvalException.class, () -> one("regex:(", dir)).getMessage().startsWith("regex '(' is not a valid pattern"));
        assertEquals("the judge scorer needs the set's judge: define it first with %%judge NAME --model M", assertThrows(EvalException.class, () -> one("judge", dir)).getMessage());
        var noRef = assertThrows(EvalException.class, () -> Scorers.parse("exact",
                new Scorers.Context(dir, List.of("question"), null, () -> null)));
        assertTrue(noRef.getMessage().contains("has none of [expected, answer, reference, target]"), noRef.getMessage());
    }
}
