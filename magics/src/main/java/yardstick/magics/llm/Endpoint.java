package yardstick.magics.llm;

import java.time.Duration;

/**
 * A named model a notebook can prompt: which provider serves it ({@code openai} for any OpenAI-compatible server,
 * {@code local} for a model in this JVM), where, the model's name there, the variable holding its key, its prices in
 * currency units per 1,000 tokens, and where the entry came from ({@code models.yaml} or the environment).
 */
public record Endpoint(String name, String provider, String baseUrl, String model, String keyEnv,
        double pricePer1kInput, double pricePer1kOutput, Duration timeout, String source) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** What a call cost; NaN when it depends on a count that is {@link Completion#UNKNOWN} (a free side costs 0). */
    public double cost(int promptTokens, int completionTokens) {
        return (side(promptTokens, pricePer1kInput) + side(completionTokens, pricePer1kOutput)) / 1000.0;
    }

    private static double side(int tokens, double pricePer1k) {
        if (pricePer1k == 0) return 0;
        return tokens < 0 ? Double.NaN : tokens * pricePer1k;
    }

    /** The same endpoint serving another model name. */
    public Endpoint withModel(String modelName) {
        return new Endpoint(name, provider, baseUrl, modelName, keyEnv, pricePer1kInput, pricePer1kOutput, timeout, source);
    }
}
