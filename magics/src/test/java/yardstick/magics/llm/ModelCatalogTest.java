package yardstick.magics.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class ModelCatalogTest {
    @TempDir
    Path home;

    private static final String YAML = """
            default: mini
            models:
              mini:
                base_url: https://api.example.com/v1/
                model: gpt-4o-mini
                key_env: EXAMPLE_KEY
                price_per_1k_input: 0.15
                price_per_1k_output: 0.6
              llama:
                base_url: http://localhost:11434/v1
                model: llama3.2
                price_per_1k: 0.01
                timeout_s: 5
            """;

    private ModelCatalog load(String yaml, Map<String, String> env) throws Exception {
        if (yaml != null) Files.writeString(home.resolve("models.yaml"), yaml);
        return ModelCatalog.load(home, env::get);
    }

    @Test
    void readsNamedEndpointsWithPricesAndTheDefault() throws Exception {
        ModelCatalog c = load(YAML, Map.of());
        Endpoint mini = c.resolve("mini");
        assertEquals("https://api.example.com/v1/", mini.baseUrl());
        assertEquals("gpt-4o-mini", mini.model());
        assertEquals("EXAMPLE_KEY", mini.keyEnv());
        assertEquals(0.15 * 2 + 0.6 * 1, mini.cost(2000, 1000), 1e-12);
        assertEquals("mini", c.resolve(null).name());
        Endpoint llama = c.resolve("llama");
        assertEquals(0.01, llama.pricePer1kInput());
        assertEquals(0.01, llama.pricePer1kOutput());
        assertEquals(5, llama.timeout().toSeconds());
    }

    @Test
    void theEnvironmentEndpointServesAnyModelName() throws Exception {
        ModelCatalog c = load(null, Map.of("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1", "OPENAI_MODEL", "qwen"));
        assertEquals("qwen", c.resolve(null).model());
        assertEquals("http://127.0.0.1:8000/v1", c.resolve("other").baseUrl());
        assertEquals("other", c.resolve("other").model());
        ModelCatalog keyOnly = ModelCatalog.load(home, Map.of("OPENAI_API_KEY", "sk")::get);
        assertEquals(ModelCatalog.OPENAI_DEFAULT_URL, keyOnly.resolve("gpt-4o").baseUrl());
        LlmException e = assertThrows(LlmException.class, keyOnly::defaultEndpoint);
        assertTrue(e.getMessage().contains("set OPENAI_MODEL or use --model NAME"), e.getMessage());
    }

    @Test
    void withNothingConfiguredTheDefaultIsLocal() throws Exception {
        ModelCatalog c = load(null, Map.of());
        assertEquals("local", c.resolve(null).provider());
        LlmException e = assertThrows(LlmException.class, () -> c.resolve("gpt-4o"));
        assertTrue(e.getMessage().startsWith("no model named 'gpt-4o'"), e.getMessage());
        assertTrue(e.getMessage().contains("OPENAI_BASE_URL"));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() throws Exception {
        LlmException e = assertThrows(LlmException.class, () -> load(YAML, Map.of()).resolve("gpt5"));
        assertTrue(e.getMessage().contains("names [mini, llama]"), e.getMessage());
    }

    @Test
    void badFilesGiveOneLineNamingTheProblem() throws Exception {
        assertBad("models:\n  a: [unclosed\n", "is not valid YAML");
        assertBad("models:\n  a:\n    base_url: http://x\n    prize_per_1k: 1\n", "unknown key 'prize_per_1k'");
        assertBad("models:\n  a:\n    model: m\n", "model 'a' needs a base_url");
        assertBad("models:\n  a:\n    base_url: http://x\n    price_per_1k: cheap\n", "price_per_1k must be a number");
        assertBad("default: b\nmodels:\n  a:\n    base_url: http://x\n", "default 'b' is not one of [a]");
        assertBad("- a\n- b\n", "expected 'models:'");
    }

    private void assertBad(String yaml, String expected) throws Exception {
        Files.writeString(home.resolve("models.yaml"), yaml);
        LlmException e = assertThrows(LlmException.class, () -> ModelCatalog.load(home, Map.<String, String>of()::get));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("models.yaml"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }

    @Test
    void theTableShowsWhetherKeysAreSetButNeverTheirValues() throws Exception {
        Table t = load(YAML, Map.of()).table(Map.of("EXAMPLE_KEY", "sk-secret")::get);
        assertEquals("mini (default)", t.stringColumn("name").get(0));
        assertEquals("EXAMPLE_KEY (set)", t.stringColumn("key").get(0));
        assertEquals("OPENAI_API_KEY (unset)", t.stringColumn("key").get(1));
        assertEquals("local", t.stringColumn("name").get(2));
        assertTrue(!t.print().contains("sk-secret"));
    }

    @Test
    void theLocalProviderSaysPlainlyWhatIsMissing() {
        // A class loader that sees no LocalEngine service: as if the bundled model were left out of the build.
        LocalProvider p = new LocalProvider(new ClassLoader(null) {});
        LlmException e = assertThrows(LlmException.class,
                () -> p.complete(new ChatRequest("local", java.util.List.of(Message.user("hi")), null, null), null));
        assertTrue(e.getMessage().startsWith("no local model is installed"), e.getMessage());
        assertTrue(e.fatal());
    }
}
