package yardstick.magics.llm;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long to wait before trying again after a 429 or a 5xx: the server's {@code retry-after} when it
 * sends one (up to {@code maxDelay}), else exponential back-off with jitter from {@code baseDelay}.
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(30));
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO);

    /** The wait before retry number {@code attempt} (1-based), given the server's advice (null when none). */
    public Duration delay(int attempt, Duration retryAfter) {
        if (retryAfter != null) return retryAfter.compareTo(maxDelay) > 0 ? maxDelay : retryAfter;
        long base = baseDelay.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, maxDelay.toMillis());
        // Full jitter in the upper half, so a batch's rows do not retry in lock step.
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(jittered);
    }
}
