package yardstick.magics.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import yardstick.magics.eval.stats.Bootstrap;
import yardstick.magics.eval.stats.Krippendorff;
import yardstick.magics.eval.stats.RaterAgreement;

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

    /**
     * Every rater's latest rating of every (row, system, output): those given in the notebook and those given on the
     * set's review pages ({@link Reviews}), whichever came later.
     */
    public static List<Rating> all(String set) {
        List<Rating> given = new ArrayList<>();
        for (JsonNode l : Evals.lines(set, "ratings.jsonl")) {
            given.add(new Rating(l.path("key").asText(), l.path("model").asText(), l.path("output").asText(),
                    l.path("score").asInt(), l.path("comment").asText(""), l.path("rater").asText(), l.path("time").asLong()));
        }
        given.addAll(Reviews.ratings(set));
        given.sort(java.util.Comparator.comparingLong(Rating::time));
        Map<String, Rating> latest = new LinkedHashMap<>();
        for (Rating r : given) latest.put(id(r.key(), r.model(), r.output()) + "\n" + r.rater(), r);
        return new ArrayList<>(latest.values());
    }

    /** How well the set's raters agree with each other (see {@link #agreement(List, Bootstrap)}). */
    public static RaterAgreement agreement(String set, Bootstrap bootstrap) {
        return agreement(all(set), bootstrap);
    }

    /**
     * Krippendorff's alpha over all raters and weighted kappa per pair, with bootstrap intervals. Refused, saying what
     * is missing, unless at least two raters rated some of the same outputs.
     */
    public static RaterAgreement agreement(List<Rating> ratings, Bootstrap bootstrap) {
        Map<String, Map<String, Integer>> byItem = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Rating r : ratings) {
            byItem.computeIfAbsent(id(r.key(), r.model(), r.output()), k -> new LinkedHashMap<>()).put(r.rater(), r.score());
            counts.merge(r.rater(), 1, Integer::sum);
        }
        List<String> raters = new ArrayList<>(counts.keySet());
        long shared = byItem.values().stream().filter(m -> m.size() >= 2).count();
        if (raters.size() < 2 || shared == 0) {
            String who = counts.isEmpty() ? "nobody has rated yet" : "so far " + counts.entrySet().stream()
                    .map(e -> e.getKey() + " rated " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
            throw new EvalException("agreement needs two raters who rated the same outputs; " + who
                    + (raters.size() < 2 ? ": ask a second rater (%rate --rater NAME, or %review share with --raters)" : ", none of them the same output"));
        }
        int[][] scores = new int[byItem.size()][raters.size()];
        int u = 0;
        for (Map<String, Integer> m : byItem.values()) {
            for (int r = 0; r < raters.size(); r++) scores[u][r] = m.getOrDefault(raters.get(r), Krippendorff.MISSING);
            u++;
        }
        return RaterAgreement.of(raters, scores, bootstrap);
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
