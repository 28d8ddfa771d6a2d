package yardstick.magics.llm;

/**
 * A model's answer: its text, the token counts the server reported ({@link #UNKNOWN} when it reported none), the time
 * it took, what it cost at the endpoint's prices (NaN when that depends on a count that is unknown), and whether it
 * came from the response cache.
 */
public record Completion(String text, int promptTokens, int completionTokens, double latencyMs, double cost,
        boolean cached) {
    /** A token count the server did not report: some OpenAI-compatible servers send no usage, above all when streaming. */
    public static final int UNKNOWN = -1;

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
