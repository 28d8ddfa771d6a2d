package yardstick.tracker.review;

import java.util.List;

/**
 * A rater's own queue in a session: the items in the order this rater sees them and, in arena mode, whether the
 * pair is shown swapped. Only a hash of the rater's link token is kept.
 */
public record RaterQueue(String sessionId, String rater, String tokenHash, List<Slot> slots) {
    /** Position {@code i} of the queue shows item {@code item}, its outputs reversed when {@code swapped}. */
    public record Slot(int item, boolean swapped) {}
}
