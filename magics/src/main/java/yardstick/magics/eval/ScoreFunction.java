package yardstick.magics.eval;

import java.io.Serializable;
import java.util.Map;

/**
 * A scorer written as a lambda in a cell: {@code Evals.scorer("short", (row, out) -> Score.pass(out.length() < 80))}.
 * Serializable, so the lambda (with the values it captures) can go to Spark executors.
 */
@FunctionalInterface
public interface ScoreFunction extends Serializable {
    Score score(Map<String, String> row, String output);
}
