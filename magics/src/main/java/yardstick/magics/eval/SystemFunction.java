package yardstick.magics.eval;

import java.io.Serializable;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A system written as a lambda in a cell, {@code Evals.system("upper", (row, prompt) -> prompt.toUpperCase())}:
 * serializable, so it can answer on Spark executors too.
 */
@FunctionalInterface
public interface SystemFunction extends BiFunction<Map<String, String>, String, String>, Serializable {}
