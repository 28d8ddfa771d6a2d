package yardstick.tracker.model;

import java.util.List;

/** A dataset used by a run, with tags such as {@code mlflow.data.context}. */
public record DatasetInput(List<Tag> tags, Dataset dataset) {
    public DatasetInput {
        tags = List.copyOf(tags);
    }
}
