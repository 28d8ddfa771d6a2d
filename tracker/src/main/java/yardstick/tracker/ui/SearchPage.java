package yardstick.tracker.ui;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import yardstick.tracker.model.Experiment;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.ViewType;
import yardstick.tracker.store.TrackerStore;

/** Search across experiments: experiments and runs whose name contains the words, or runs that used a dataset digest. */
public final class SearchPage {
    private static final int MAX_RESULTS = 200;

    /** What the search found; {@code digest} is set for a search by dataset. */
    public record Result(String query, String digest, List<Experiment> experiments, List<Run> runs, Map<String, String> names,
            String error) {
        public String experimentName(String id) {
            return names.getOrDefault(id, id);
        }
    }

    private final TrackerStore store;

    SearchPage(TrackerStore store) {
        this.store = store;
    }

    String page(String query, String digest) {
        String q = query == null ? "" : query.strip();
        List<Experiment> all = store.searchExperiments(ViewType.ACTIVE_ONLY, null, List.of("name ASC"), 1000, null).items();
        Map<String, String> names = new HashMap<>();
        all.forEach(e -> names.put(e.experimentId(), e.name()));
        List<String> ids = all.stream().map(Experiment::experimentId).toList();
        String d = digest == null || digest.isBlank() ? null : digest.strip();
        if (d == null && q.isEmpty()) {
            return render(new Result(q, null, List.of(), List.of(), names, null));
        }
        try {
            List<Experiment> experiments = d != null ? List.of() : store.searchExperiments(ViewType.ACTIVE_ONLY,
                    "name ILIKE " + like(q), List.of("name ASC"), MAX_RESULTS, null).items();
            String filter = d != null ? "datasets.digest = " + quote(d) : "attributes.run_name ILIKE " + like(q);
            List<Run> runs = ids.isEmpty() ? List.of() : store.searchRuns(ids, filter, ViewType.ACTIVE_ONLY, MAX_RESULTS,
                    List.of("attributes.start_time DESC"), null).items();
            return render(new Result(q, d, experiments, runs, names, null));
        } catch (MlflowException e) {
            return render(new Result(q, d, List.of(), List.of(), names, e.getMessage()));
        }
    }

    private static String render(Result r) {
        return Templates.render("search.jte", "s", r);
    }

    /** A LIKE pattern matching {@code q} anywhere, its own % and _ taken literally where the grammar allows. */
    private static String like(String q) {
        return quote("%" + q + "%");
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
