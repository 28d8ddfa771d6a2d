package yardstick.magics.llm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.magics.YardstickHome;
import yardstick.magics.llm.Completion;
import yardstick.magics.llm.Llm;
import yardstick.magics.llm.LlmException;
import yardstick.magics.llm.Model;

/** The bundled model through the same API a notebook uses, with no endpoint configured and no network. */
class LocalModelTest {
    @TempDir
    static Path home;

    @BeforeAll
    static void isolate() {
        System.setProperty(YardstickHome.PROPERTY, home.toString());
    }

    @AfterAll
    static void restore() {
        System.clearProperty(YardstickHome.PROPERTY);
    }

    @Test
    void bundledModelHasTheShippedShapeAndSize() throws Exception {
        try (var in = BundledModel.open()) {
            Weights w = Weights.read(in, BundledModel.RESOURCE);
            GptConfig c = GptConfig.fromJson(w.config());
            assertEquals(c.parameters(), w.parameterCount());
            assertTrue(w.parameterCount() >= 1_000_000 && w.parameterCount() <= 10_000_000, "parameters: " + w.parameterCount());
            assertEquals("bytes", w.meta().path("tokenizer").asText());
        }
    }

    @Test
    void localIsTheDefaultModelAndAnswersWithSampling() {
        Model m = Llm.model("local").withoutCache().withMaxTokens(48);
        Completion greedy1 = m.withTemperature(0).complete("Yardstick is");
        Completion greedy2 = m.withTemperature(0).complete("Yardstick is");
        assertFalse(greedy1.text().isEmpty());
        assertEquals(greedy1.text(), greedy2.text(), "temperature 0 is greedy, so repeatable");
        assertTrue(greedy1.completionTokens() <= 48, "completion tokens " + greedy1.completionTokens());
        assertEquals("Yardstick is".length(), greedy1.promptTokens());

        List<String> pieces = new ArrayList<>();
        Completion hot = m.withTemperature(1.0).complete("The tracker", pieces::add);
        assertEquals(hot.text(), String.join("", pieces), "streamed pieces make up the answer");
        assertEquals("local", Llm.catalog().defaultEndpoint().name(), "with no endpoint configured, local is the default");
    }

    @Test
    void aMissingWeightsFileIsNamed() {
        LlmException e = org.junit.jupiter.api.Assertions.assertThrows(LlmException.class,
                () -> Llm.model("local:" + home.resolve("nope.ysw")).complete("hi"));
        assertTrue(e.getMessage().contains("no weights file"), e.getMessage());
    }
}
