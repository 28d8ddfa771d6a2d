package demo;

/** A token bucket: allows bursts up to its capacity, refilled at a steady rate. */
public final class RateLimiter {
    private final double capacity;
    private final double refillPerSecond;
    private double tokens;
    private long last = System.nanoTime();

    public RateLimiter(double capacity, double refillPerSecond) {
        this.capacity = capacity;
        this.refillPerSecond = refillPerSecond;
        this.tokens = capacity;
    }

    /** Takes one token if there is one; returns false when the caller must wait. */
    public synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) / 1e9 * refillPerSecond);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
