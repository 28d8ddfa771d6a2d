package yardstick.magics.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;
import yardstick.magics.TestNotebook;

/** The embedding scorer with the bundled all-MiniLM-L6-v2, alone and as {@code %%eval --scorers embedding} runs it. */
class EmbeddingScorerTest {
    @TempDir
    static Path dir;
    static TestNotebook nb;
    static Scorer scorer;
    static AllMiniLmL6V2EmbeddingModel reference;

    static final String ANSWER = "The meeting was moved to Thursday afternoon.";
    static final String PARAPHRASE = "They rescheduled the meeting for Thursday after lunch.";
    static final String UNRELATED = "Penguins live mostly in the Southern Hemisphere.";

    @BeforeAll
    static void start() throws Exception {
        EvalFixture.home();
        scorer = Scorers.parse("embedding", new Scorers.Context(dir, List.of("question", "answer"), null, SharedEmbedder::get)).get(0);
        // langchain4j's own packaging of the same model, with its own tokenizer and pooling: an independent reference.
        // Created after DJL's engine (SharedEmbedder's first use), as the two must be.
        SharedEmbedder.get();
        reference = new AllMiniLmL6V2EmbeddingModel();
        nb = new TestNotebook(dir);
    }

    @AfterAll
    static void stop() {
        nb.close();
    }

    static double referenceCosine(String a, String b) {
        var v = reference.embedAll(List.of(TextSegment.from(a), TextSegment.from(b))).content();
        float[] x = v.get(0).vector(), y = v.get(1).vector();
        double dot = 0, xx = 0, yy = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            xx += x[i] * x[i];
            yy += y[i] * y[i];
        }
        return dot / Math.sqrt(xx * yy);
    }

    @Test
    void similarityFollowsMeaning() {
        Map<String, String> row = Map.of("question", "When is the meeting?", "answer", ANSWER);
        List<String> outputs = List.of(ANSWER, PARAPHRASE, UNRELATED, "");
        List<Score> scores = scorer.scoreAll(List.of(row, row, row, row), outputs);
        assertEquals(1.0, scores.get(0).value(), 1e-4, "identical text");
        double paraphrase = scores.get(1).value(), unrelated = scores.get(2).value();
        assertTrue(paraphrase > unrelated + 0.3, "paraphrase " + paraphrase + ", unrelated " + unrelated);
        assertEquals(0, unrelated, 0.15, "unrelated text is near 0 (and may be just below it)");
        for (int i = 0; i < outputs.size(); i++) {
            double v = scores.get(i).value();
            assertTrue(-1 <= v && v <= 1, "a cosine similarity: " + v);
            // langchain4j refuses blank text; an empty output is still scored, within the range.
            if (!outputs.get(i).isEmpty()) assertEquals(referenceCosine(outputs.get(i), ANSWER), v, 1e-4, outputs.get(i));
        }
        // Scored one at a time as in a batch: padding in the batch does not change a score.
        assertEquals(paraphrase, scorer.score(row, PARAPHRASE).value(), 1e-5);
        assertTrue(scorer.scoreAll(List.of(row), java.util.Collections.singletonList(null)).get(0).failed(), "no output is a failure");
    }

    @Test
    void scoresThroughTheEvalMagic() throws Exception {
        Files.writeString(dir.resolve("meetings.jsonl"), String.join("\n",
                "{\"id\": \"same\", \"question\": \"When is the meeting?\", \"answer\": \"" + ANSWER + "\"}",
                "{\"id\": \"para\", \"question\": \"When is the meeting?\", \"answer\": \"" + ANSWER + "\"}",
                "{\"id\": \"off\", \"question\": \"When is the meeting?\", \"answer\": \"" + ANSWER + "\"}"));
        Map<String, String> said = Map.of("same", ANSWER, "para", PARAPHRASE, "off", UNRELATED);
        Evals.system("minutes", (row, prompt) -> said.get(row.get("id")));
        nb.ok("%eval load meetings meetings.jsonl");
        Table summary = (Table) nb.ok("%%eval meetings --model minutes --scorers embedding,exact\n{{question}}");
        Table rows = Evals.last("meetings").rows();
        List<Double> got = new ArrayList<>(rows.doubleColumn("embedding").asList());
        assertEquals(3, got.size());
        assertEquals(1.0, got.get(0), 1e-4);
        assertEquals(referenceCosine(PARAPHRASE, ANSWER), got.get(1), 1e-4);
        assertEquals(referenceCosine(UNRELATED, ANSWER), got.get(2), 1e-4);
        assertTrue(got.get(1) > got.get(2));
        assertEquals(got.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), summary.doubleColumn("embedding_mean").get(0), 1e-9);
        assertEquals(1.0 / 3, summary.doubleColumn("exact_mean").get(0), 1e-12);
        assertTrue(nb.displays().get(0).plain().contains("embedding"), "the rows table is shown with the scores");
    }
}
