package yardstick.tracker.review;

import java.util.List;

/**
 * What a rater's page shows, ready for the template: markdown already rendered by {@link SafeMarkdown}, everything
 * else escaped by jte. It holds no model name: in arena mode the outputs are only "A" and "B".
 */
public record ReviewView(String name, boolean arena, String base, int position, int total, int answered,
        List<Field> input, String contextHtml, List<String> outputsHtml, String rubricHtml, Integer score, String choice,
        String rationale, boolean skipped) {
    public record Field(String name, String html) {}

    public String label(int i) {
        return arena ? (i == 0 ? "A" : "B") : "Output";
    }
}
