package yardstick.tracker.review;

/**
 * A rater's answer to one item: a 1-5 {@code score} (rating) or a {@code choice} A, B, TIE or BOTH_BAD as shown
 * (arena), or a skip. {@code swapped} records how the pair was shown, so A and B resolve to models later.
 */
public record Answer(String rater, int item, Integer score, String choice, boolean swapped, String rationale,
        boolean skipped, long time) {}
