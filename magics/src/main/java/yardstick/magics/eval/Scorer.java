package yardstick.magics.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores a model's output for one eval row. Serializable, so a scorer class defined in a cell (and registered with
 * {@link Evals#scorer(Scorer)}) can be shipped to Spark executors with the values it holds.
 */
public interface Scorer extends java.io.Serializable {
    /** The score's column name, such as {@code exact} or {@code rouge_l}. */
    String name();

    /** The row fields it reads; checked against the eval set before any model is called. */
    default List<String> fields() {
        return List.of();
    }

    Score score(Map<String, String> row, String output);

    /** Scores many outputs; scorers that batch (embeddings) or call models (judges) override this. */
    default List<Score> scoreAll(List<Map<String, String>> rows, List<String> outputs) {
        List<Score> s = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String out = outputs.get(i);
            s.add(out == null ? Score.failure("no output") : score(rows.get(i), out));
        }
        return s;
    }
}
