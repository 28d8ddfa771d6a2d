package yardstick.magics.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateAndCacheTest {
    @Test
    void fillsPlaceholdersWithOrWithoutSpacesAndKeepsOtherBraces() {
        Template t = Template.of("Q: {{question}} in {{ lang }}; JSON {\"a\": 1} {{question}}");
        assertEquals(List.of("question", "lang"), t.placeholders());
        assertEquals("Q: Why $1? in fr; JSON {\"a\": 1} Why $1?", t.render(Map.of("question", "Why $1?", "lang", "fr")::get));
    }

    @Test
    void aMissingPlaceholderIsNamed() {
        Template t = Template.of("{{a}} {{b}} {{c}}");
        LlmException e = assertThrows(LlmException.class, () -> t.requireAll(n -> n.equals("a"), "no variable"));
        assertEquals("placeholder {{b}} has no value: no variable named 'b' (also missing: c)", e.getMessage());
        assertTrue(e.fatal());
        assertThrows(LlmException.class, () -> Template.of("{{}}"));
    }

    private static ChatRequest req(String model, Double temp, Integer max, String text) {
        return new ChatRequest(model, List.of(Message.user(text)), temp, max);
    }

    @Test
    void theCacheKeyCoversProviderModelParamsAndMessages() {
        String base = ResponseCache.key("p", req("m", 0.0, 10, "hi"));
        assertEquals(base, ResponseCache.key("p", req("m", 0.0, 10, "hi")));
        assertNotEquals(base, ResponseCache.key("q", req("m", 0.0, 10, "hi")));
        assertNotEquals(base, ResponseCache.key("p", req("n", 0.0, 10, "hi")));
        assertNotEquals(base, ResponseCache.key("p", req("m", 0.5, 10, "hi")));
        assertNotEquals(base, ResponseCache.key("p", req("m", 0.0, 11, "hi")));
        assertNotEquals(base, ResponseCache.key("p", req("m", 0.0, 10, "hi!")));
        assertNotEquals(base, ResponseCache.key("p", new ChatRequest("m", List.of(Message.system("hi")), 0.0, 10)));
    }

    @Test
    void theCacheKeepsAnswersOnDiskAndTreatsDamageAsAMiss(@TempDir Path dir) throws Exception {
        ResponseCache cache = new ResponseCache(dir);
        String key = ResponseCache.key("p", req("m", null, null, "hi"));
        assertTrue(cache.get(key).isEmpty());
        cache.put(key, Completion.of("hello ✓", 3, 2));
        assertTrue(ResponseCache.flush(Duration.ofSeconds(10)));
        Path file = dir.resolve(key.substring(0, 2)).resolve(key + ".json");
        assertTrue(Files.isRegularFile(file), "the answer reached the disk");
        Completion c = new ResponseCache(dir).get(key).orElseThrow();
        assertEquals("hello ✓", c.text());
        assertEquals(3, c.promptTokens());
        assertEquals(2, c.completionTokens());
        Files.writeString(file, "{trunc");
        assertTrue(cache.get(key).isEmpty());
    }
}
