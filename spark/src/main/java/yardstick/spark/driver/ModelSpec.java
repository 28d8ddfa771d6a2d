package yardstick.spark.driver;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import yardstick.magics.llm.Endpoint;
import yardstick.magics.llm.Model;
import yardstick.magics.llm.OpenAiProvider;
import yardstick.magics.llm.Provider;
import yardstick.magics.llm.ResponseCache;
import yardstick.magics.llm.RetryPolicy;

/**
 * A model as plain values that travel to executors ({@link Endpoint} is a record the kernel resolved from models.yaml
 * or %env), with the options a cell set and the concurrency one task may use. Executors rebuild the {@link Model}.
 */
record ModelSpec(String name, String provider, String baseUrl, String model, String keyEnv, String apiKey,
        double priceIn, double priceOut, long timeoutMs, Double temperature, Integer maxTokens, String system,
        int concurrency, boolean noCache, String cacheDir) implements Serializable {
    /** One provider per endpoint and executor JVM, so tasks reuse its connections. */
    private static final Map<String, Provider> PROVIDERS = new ConcurrentHashMap<>();

    /**
     * Reads what the kernel sent ({@code endpoint}, {@code apiKey}, {@code temperature}, {@code maxTokens},
     * {@code system}, {@code noCache}); only OpenAI-compatible endpoints can be called from executors.
     */
    static ModelSpec of(JsonNode q, int concurrency, String cacheDir) {
        JsonNode e = q.path("endpoint");
        ModelSpec m = new ModelSpec(e.path("name").asText(), e.path("provider").asText(), e.path("baseUrl").asText(null),
                e.path("model").asText(null), e.path("keyEnv").asText(null), q.hasNonNull("apiKey") ? q.get("apiKey").asText() : null,
                e.path("priceIn").asDouble(), e.path("priceOut").asDouble(), e.path("timeoutMs").asLong(60_000),
                q.hasNonNull("temperature") ? q.get("temperature").asDouble() : null,
                q.hasNonNull("maxTokens") ? q.get("maxTokens").asInt() : null, q.hasNonNull("system") ? q.get("system").asText() : null,
                concurrency, q.path("noCache").asBoolean(), cacheDir);
        if (!"openai".equals(m.provider())) {
            throw new IllegalArgumentException("model '" + m.name() + "' is served by the " + m.provider()
                    + " provider; on Spark, prompt an OpenAI-compatible endpoint");
        }
        return m;
    }

    Model build() {
        Endpoint e = new Endpoint(name, provider, baseUrl, model, keyEnv, priceIn, priceOut, Duration.ofMillis(timeoutMs), "spark");
        Provider p = PROVIDERS.computeIfAbsent(baseUrl + "\n" + apiKey + "\n" + timeoutMs,
                k -> new OpenAiProvider(baseUrl, apiKey, keyEnv, e.timeout(), RetryPolicy.DEFAULT));
        Model m = new Model(e, p, new ResponseCache(Path.of(cacheDir)));
        if (temperature != null) m = m.withTemperature(temperature);
        if (maxTokens != null) m = m.withMaxTokens(maxTokens);
        if (system != null) m = m.withSystem(system);
        m = m.withConcurrency(concurrency);
        return noCache ? m.withoutCache() : m;
    }
}
