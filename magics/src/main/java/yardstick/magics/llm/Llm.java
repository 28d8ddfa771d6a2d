package yardstick.magics.llm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tech.tablesaw.api.Table;
import yardstick.magics.YardstickHome;

/**
 * Prompting from Java: {@code Llm.model("mini").complete("Hello")} or {@code Llm.model().batch(questions,
 * "Answer briefly: {{question}}")}. Models come from {@code ~/.yardstick/models.yaml} and OPENAI_BASE_URL /
 * OPENAI_API_KEY as the notebook sees them (including {@code %env}); see {@link ModelCatalog}.
 */
public final class Llm {
    private static final Map<String, Provider> PROVIDERS = new ConcurrentHashMap<>();

    private Llm() {}

    /** The default model (see {@link ModelCatalog#defaultEndpoint()}). */
    public static Model model() {
        return model(null);
    }

    /** A model by name: an entry of models.yaml, {@code local}, or a model the OPENAI_BASE_URL endpoint serves. */
    public static Model model(String name) {
        Endpoint e = catalog().resolve(name);
        return new Model(e, provider(e), cache());
    }

    /** Every model a notebook can name, as {@code %models} shows them. */
    public static Table models() {
        return catalog().table(YardstickHome::env);
    }

    public static ModelCatalog catalog() {
        return ModelCatalog.load(YardstickHome.resolve(), YardstickHome::env);
    }

    public static ResponseCache cache() {
        return new ResponseCache(YardstickHome.resolve().resolve("cache").resolve("llm"));
    }

    /** One provider per endpoint and key, so its connections are reused across calls. */
    static Provider provider(Endpoint e) {
        if (e.provider().equals("local")) {
            return PROVIDERS.computeIfAbsent("local", k -> new LocalProvider(Llm.class.getClassLoader()));
        }
        String keyEnv = e.keyEnv() == null ? "OPENAI_API_KEY" : e.keyEnv();
        String key = YardstickHome.env(keyEnv);
        String id = e.baseUrl() + "\n" + keyEnv + "\n" + (key == null ? "" : Integer.toHexString(key.hashCode())) + "\n" + e.timeout();
        return PROVIDERS.computeIfAbsent(id, k -> new OpenAiProvider(e.baseUrl(), key, keyEnv, e.timeout(), RetryPolicy.DEFAULT));
    }
}
