package yardstick.magics.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rater working through a set's outputs, whatever the front end (a widget, stdin, an answers file): the items
 * this rater has not rated yet, in a stable order, each rating saved as it is given.
 */
public final class RateSession {
    private final String set;
    private final String rater;
    private final List<RateItem> pending;
    private final int total;
    private int done;

    public RateSession(String set, String rater, List<RateItem> items) {
        this.set = set;
        this.rater = rater;
        Set<String> rated = new HashSet<>();
        for (Rating r : Ratings.byRater(set, rater)) rated.add(Ratings.id(r.key(), r.model(), r.output()));
        List<RateItem> p = new ArrayList<>();
        for (RateItem i : items) if (!rated.contains(Ratings.id(i.key(), i.model(), i.output()))) p.add(i);
        this.pending = p;
        this.total = items.size();
    }

    /** Every output of the set's latest outputs (or of one run) as items, row by row. */
    public static List<RateItem> items(String setName, String runId, String onlyModel) {
        EvalSet s = Evals.set(setName);
        Map<String, Map<String, String>> outputs = Evals.outputs(setName, runId);
        if (outputs.isEmpty()) {
            throw new EvalException(runId == null ? "set " + setName + " has no outputs to rate: run %%eval " + setName + " first"
                    : "run " + runId + " has no outputs of set " + setName);
        }
        if (onlyModel != null && !outputs.containsKey(onlyModel)) {
            throw new EvalException("set " + setName + " has no outputs of '" + onlyModel + "'; it has " + outputs.keySet());
        }
        List<RateItem> items = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            String key = s.key(i);
            for (var e : outputs.entrySet()) {
                if (onlyModel != null && !onlyModel.equals(e.getKey())) continue;
                String out = e.getValue().get(key);
                if (out != null) items.add(new RateItem(key, s.row(i), e.getKey(), out));
            }
        }
        return items;
    }

    public String set() {
        return set;
    }

    public String rater() {
        return rater;
    }

    /** The next item to rate, or null when all are rated. */
    public synchronized RateItem next() {
        return pending.isEmpty() ? null : pending.get(0);
    }

    /** Rates the current item and saves the rating at once. */
    public synchronized Rating rate(int score, String comment) {
        RateItem i = next();
        if (i == null) throw new EvalException("nothing left to rate in " + set);
        Rating r = new Rating(i.key(), i.model(), i.output(), score, comment == null ? "" : comment, rater, System.currentTimeMillis());
        Ratings.save(set, r);
        pending.remove(0);
        done++;
        return r;
    }

    /** Rates a given item (from an answers file), wherever it is in the queue. */
    public synchronized Rating rate(String key, String model, int score, String comment) {
        for (int k = 0; k < pending.size(); k++) {
            RateItem i = pending.get(k);
            if (i.key().equals(key) && i.model().equals(model)) {
                Rating r = new Rating(key, model, i.output(), score, comment == null ? "" : comment, rater, System.currentTimeMillis());
                Ratings.save(set, r);
                pending.remove(k);
                done++;
                return r;
            }
        }
        return null;
    }

    public synchronized int remaining() {
        return pending.size();
    }

    /** Items rated in this session. */
    public synchronized int done() {
        return done;
    }

    public int total() {
        return total;
    }
}
