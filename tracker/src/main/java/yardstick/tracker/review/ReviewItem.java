package yardstick.tracker.review;

import java.util.List;
import java.util.Map;

/** One thing to review: an eval row (its key and fields), optional context, and one output (rating) or two (arena). */
public record ReviewItem(int index, String key, Map<String, String> input, String context, List<Output> outputs) {
    /** What a model answered; the model's name never reaches a rater's page in arena mode. */
    public record Output(String model, String text) {}
}
