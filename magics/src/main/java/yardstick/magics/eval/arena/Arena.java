package yardstick.magics.eval.arena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import yardstick.magics.eval.EvalException;
import yardstick.magics.eval.EvalSet;
import yardstick.magics.eval.Evals;
import yardstick.magics.eval.Reviews;

/**
 * Blind pairwise comparison of two or more systems' outputs on an eval set. Each battle shows one row's outputs of a
 * pair in random order without names; the person votes A, B, tie or both bad, and only then learns who was who.
 * Votes are saved as given ({@code evals/NAME/votes.jsonl}), so a session can stop and resume; a battle this rater
 * already voted on is not shown again.
 */
public final class Arena {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One battle as shown: the row, the two outputs in the order shown, and (hidden until voted) their models. */
    public record Battle(String key, Map<String, String> row, String modelA, String outputA, String modelB, String outputB) {}

    private final String set;
    private final List<String> models;
    private final String rater;
    private final List<Battle> pending = new ArrayList<>();
    private final Map<String, Map<String, String>> outputs;
    private int voted;

    public Arena(String set, List<String> models, String rater, Random random) {
        if (models.size() < 2) throw new EvalException("an arena needs at least two models, not " + models);
        if (new HashSet<>(models).size() != models.size()) throw new EvalException("a model is listed twice in " + models);
        this.set = set;
        this.models = List.copyOf(models);
        this.rater = rater;
        EvalSet s = Evals.set(set);
        outputs = Evals.outputs(set, null);
        for (String m : models) {
            if (!outputs.containsKey(m)) {
                throw new EvalException("set " + set + " has no outputs of '" + m + "': run %%eval " + set + " --model " + m
                        + " first (it has " + outputs.keySet() + ")");
            }
        }
        Set<String> done = new HashSet<>();
        for (Vote v : votes(set)) if (v.rater().equals(rater)) done.add(battleId(v.key(), v.modelA(), v.modelB()));
        for (int r = 0; r < s.size(); r++) {
            String key = s.key(r);
            for (int i = 0; i < models.size(); i++) {
                for (int j = i + 1; j < models.size(); j++) {
                    String a = models.get(i), b = models.get(j);
                    String oa = outputs.get(a).get(key), ob = outputs.get(b).get(key);
                    if (oa == null || ob == null || done.contains(battleId(key, a, b))) continue;
                    pending.add(random.nextBoolean() ? new Battle(key, s.row(r), a, oa, b, ob) : new Battle(key, s.row(r), b, ob, a, oa));
                }
            }
        }
        java.util.Collections.shuffle(pending, random);
    }

    public String set() {
        return set;
    }

    public List<String> models() {
        return models;
    }

    public String rater() {
        return rater;
    }

    public synchronized Battle next() {
        return pending.isEmpty() ? null : pending.get(0);
    }

    public synchronized int remaining() {
        return pending.size();
    }

    public synchronized int voted() {
        return voted;
    }

    /** Votes on the battle shown now; returns the vote, which reveals the models. */
    public synchronized Vote vote(Vote.Choice choice) {
        Battle b = next();
        if (b == null) throw new EvalException("no battle left to vote on in " + set);
        pending.remove(0);
        return save(new Vote(b.key(), b.modelA(), b.modelB(), choice, rater, System.currentTimeMillis()));
    }

    /**
     * Votes on a named battle (from an answers file): {@code winner} is one of the two models, "tie" or "both bad".
     * A pair or row this arena does not have is refused.
     */
    public synchronized Vote vote(String key, String modelX, String modelY, String winner) {
        if (!models.contains(modelX) || !models.contains(modelY) || modelX.equals(modelY)) {
            throw new EvalException("unknown pair " + modelX + " vs " + modelY + ": this arena compares " + models);
        }
        if (Evals.set(set).indexOf(key) < 0 || outputs.get(modelX).get(key) == null || outputs.get(modelY).get(key) == null) {
            throw new EvalException("unknown pair on row '" + key + "': set " + set + " has no outputs of both " + modelX + " and " + modelY + " there");
        }
        for (int i = 0; i < pending.size(); i++) {
            Battle b = pending.get(i);
            if (b.key().equals(key) && Set.of(b.modelA(), b.modelB()).equals(Set.of(modelX, modelY))) {
                Vote.Choice c = winner.equals(b.modelA()) ? Vote.Choice.A : winner.equals(b.modelB()) ? Vote.Choice.B : Vote.Choice.parse(winner);
                pending.remove(i);
                return save(new Vote(key, b.modelA(), b.modelB(), c, rater, System.currentTimeMillis()));
            }
        }
        return null;  // already voted
    }

    private Vote save(Vote v) {
        ObjectNode l = JSON.createObjectNode();
        l.put("key", v.key()).put("model_a", v.modelA()).put("model_b", v.modelB()).put("vote", v.choice().name())
                .put("winner", v.winner()).put("rater", v.rater()).put("time", v.time());
        Evals.append(set, "votes.jsonl", l);
        voted++;
        return v;
    }

    /** Every vote given on a set, in the notebook and on its review pages ({@link Reviews}), in order. */
    public static List<Vote> votes(String set) {
        List<Vote> out = new ArrayList<>();
        for (JsonNode l : Evals.lines(set, "votes.jsonl")) {
            out.add(new Vote(l.path("key").asText(), l.path("model_a").asText(), l.path("model_b").asText(),
                    Vote.Choice.valueOf(l.path("vote").asText()), l.path("rater").asText(), l.path("time").asLong()));
        }
        for (Reviews.Answer a : Reviews.answers(set, false)) {
            if (a.vote() != null && !a.skipped()) {
                out.add(new Vote(a.key(), a.modelA(), a.modelB(), Vote.Choice.valueOf(a.vote()), a.rater(), a.time()));
            }
        }
        out.sort(java.util.Comparator.comparingLong(Vote::time));
        return out;
    }

    /** The leaderboard from every vote on this set between these models. */
    public Leaderboard leaderboard(int rounds, long seed) {
        return Leaderboard.of(models, votes(set), rounds, seed);
    }

    private static String battleId(String key, String a, String b) {
        return key + "\n" + (a.compareTo(b) < 0 ? a + "\n" + b : b + "\n" + a);
    }
}
