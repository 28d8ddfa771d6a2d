package yardstick.magics.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * People's ratings of a set's outputs, kept in {@code evals/NAME/ratings.jsonl}: each is appended the moment it is
 * given, so a session can stop and resume. A later rating by the same rater of the same output replaces the earlier.
 */
public final class Ratings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Ratings() {}

    public static void save(String set, Rating r) {
        ObjectNode l = JSON.createObjectNode();
        l.put("key", r.key()).put("model", r.model()).put("output", r.output()).put("score", r.score())
                .put("comment", r.comment() == null ? "" : r.comment()).put("rater", r.rater()).put("time", r.time());
        Evals.append(set, "ratings.jsonl", l);
    }

    /** Every rater's latest rating of every (row, system, output). */
    public static List<Rating> all(String set) {
        Map<String, Rating> latest = new LinkedHashMap<>();
        for (JsonNode l : Evals.lines(set, "ratings.jsonl")) {
            Rating r = new Rating(l.path("key").asText(), l.path("model").asText(), l.path("output").asText(),
                    l.path("score").asInt(), l.path("comment").asText(""), l.path("rater").asText(), l.path("time").asLong());
            latest.put(id(r.key(), r.model(), r.output()) + "\n" + r.rater(), r);
        }
        return new ArrayList<>(latest.values());
    }

    public static List<Rating> byRater(String set, String rater) {
        return all(set).stream().filter(r -> r.rater().equals(rater)).toList();
    }

    /** The raters who rated anything in this set, in order of first rating. */
    public static List<String> raters(String set) {
        return all(set).stream().map(Rating::rater).distinct().toList();
    }

    /** Identifies an item to rate: a row, a system, and the exact output (a new output is a new item). */
    static String id(String key, String model, String output) {
        return key + "\n" + model + "\n" + EvalSet.sha(output).substring(0, 16);
    }
}
