package yardstick.tracker.review;

import java.util.List;

/** The thank-you page: the rater's own answers counted, and where to go back to. */
public record ReviewSummary(String name, String base, int total, int answered, int skipped,
        List<Count> counts, String mean) {
    public record Count(String label, int n) {}
}
