package yardstick.magics.rag.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.magics.rag.RagException;

class OnnxEmbedderTest {
    static OnnxEmbedder embedder;

    static final List<String> SENTENCES = List.of(
            "The cat sat on the mat.",
            "Lucene builds inverted indices for full-text search, and HNSW graphs for nearest-neighbour vectors.",
            "How do I bake sourdough bread?",
            "Rain",
            "Mitochondria are the powerhouse of the cell; they produce ATP through oxidative phosphorylation, "
                    + "a process that depends on an electrochemical gradient across the inner membrane.");

    @BeforeAll
    static void load() {
        embedder = OnnxEmbedder.miniLm();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void vectorsMatchLangchain4jsOwnModel() {
        // Created after DJL's engine (OnnxEmbedder's static init), as the two must be.
        var reference = new AllMiniLmL6V2EmbeddingModel();
        List<float[]> ours = embedder.embed(SENTENCES);
        var theirs = reference.embedAll(SENTENCES.stream().map(TextSegment::from).toList()).content();
        assertEquals(SENTENCES.size(), theirs.size());
        double worst = 0;
        for (int i = 0; i < SENTENCES.size(); i++) {
            float[] a = ours.get(i), b = theirs.get(i).vector();
            assertEquals(384, a.length);
            assertEquals(b.length, a.length);
            for (int j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j] - b[j]));
        }
        assertTrue(worst < 1e-4, "largest difference from langchain4j: " + worst);
    }

    @Test
    void batchingAndPaddingDoNotChangeVectors() {
        List<float[]> batched = embedder.embed(SENTENCES);
        for (int i = 0; i < SENTENCES.size(); i++) {
            float[] alone = embedder.embed(SENTENCES.get(i));
            assertTrue(maxDiff(alone, batched.get(i)) < 1e-5, "sentence " + i);
            assertEquals(1.0, dot(alone, alone), 1e-5, "unit length");
        }
    }

    @Test
    void paraphrasesRankAboveUnrelatedText() {
        String[][] cases = {
                {"How do I reset my password?", "I forgot my login credentials and need to change them.",
                        "The stock market fell sharply on Tuesday."},
                {"A man is playing a guitar on stage.", "Someone performs music with a guitar at a concert.",
                        "A chef is chopping onions in the kitchen."},
                {"The weather will be cold and snowy tomorrow.", "Expect freezing temperatures and snow next day.",
                        "Python is a popular programming language."},
        };
        for (String[] c : cases) {
            List<float[]> v = embedder.embed(List.of(c));
            double para = dot(v.get(0), v.get(1)), unrelated = dot(v.get(0), v.get(2));
            assertTrue(para > unrelated + 0.2, c[0] + ": paraphrase " + para + " vs unrelated " + unrelated);
        }
    }

    @Test
    void longTextIsTruncatedToTheModelsLimit() {
        String longText = "word ".repeat(2000);
        assertEquals(2000, embedder.countTokens(longText));
        float[] v = embedder.embed(longText);
        assertEquals(1.0, dot(v, v), 1e-5);
        assertEquals(256, embedder.maxTokens());
    }

    @Test
    void aModelDirectoryWithoutItsFilesIsAClearError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        var e = assertThrows(RagException.class, () -> OnnxEmbedder.fromDirectory(dir, 256));
        assertEquals("model directory " + dir + " has no model.onnx", e.getMessage());
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
