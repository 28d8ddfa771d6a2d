package yardstick.tracker.review;

import java.util.List;

/**
 * A published review: a set's outputs that named raters rate 1-5 ({@link Mode#RATE}) or vote on blind in pairs
 * ({@link Mode#ARENA}) through their own links. {@code closed} is null while it is open.
 */
public record ReviewSession(String id, String name, Mode mode, String rubric, List<String> models, List<String> raters,
        int items, long created, long expires, Long closed, String runId) {
    public enum Mode {
        RATE, ARENA
    }

    public boolean open(long now) {
        return closed == null && (expires <= 0 || now < expires);
    }
}
