package yardstick.magics.llm;

/**
 * A model's answer: its text, the token counts the server reported (0 when it reported none), the time it took,
 * what it cost at the endpoint's prices, and whether it came from the response cache.
 */
public record Completion(String text, int promptTokens, int completionTokens, double latencyMs, double cost,
        boolean cached) {

    /** A fresh answer from a provider, before timing and pricing are known. */
    public static Completion of(String text, int promptTokens, int completionTokens) {
        return new Completion(text, promptTokens, completionTokens, 0, 0, false);
    }

    Completion timed(double ms, double price, boolean fromCache) {
        return new Completion(text, promptTokens, completionTokens, ms, price, fromCache);
    }

    @Override
    public String toString() {
        return text;
    }
}
