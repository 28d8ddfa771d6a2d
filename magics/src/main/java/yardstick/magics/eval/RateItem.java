package yardstick.magics.eval;

import java.util.Map;

/** One output to rate: the eval row it answers, which system wrote it, and the text. */
public record RateItem(String key, Map<String, String> row, String model, String output) {}
