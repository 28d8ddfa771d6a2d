package yardstick.magics.rag.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import yardstick.magics.rag.RagException;

/** Runs every judged query through each mode and averages the metrics. */
public final class Evaluator {
    /** Ranked, distinct document ids for a query in one mode, at least {@code depth} long where the index allows. */
    @FunctionalInterface
    public interface Retriever {
        List<String> rank(String mode, String query, int depth);
    }

    private Evaluator() {}

    public static Evaluation run(String index, Qrels qrels, Map<String, String> queries, List<String> modes,
                                 int recallK, Retriever retriever) {
        List<String> judged = new ArrayList<>();
        for (String q : queries.keySet()) {
            if (qrels.of(q).values().stream().anyMatch(g -> g > 0)) judged.add(q);
        }
        if (judged.isEmpty()) {
            throw new RagException("no query in the queries file has a relevant document in the qrels file "
                    + "(do their ids match?)");
        }
        int depth = Math.max(10, recallK);
        List<Evaluation.ModeScores> scores = new ArrayList<>();
        for (String mode : modes) {
            double ndcg = 0, mrr = 0, recall = 0;
            double[] ms = new double[judged.size()];
            for (int i = 0; i < judged.size(); i++) {
                String q = judged.get(i);
                long t0 = System.nanoTime();
                List<String> ranking = retriever.rank(mode, queries.get(q), depth);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                Map<String, Integer> j = qrels.of(q);
                ndcg += Metrics.ndcg(ranking, j, 10);
                mrr += Metrics.reciprocalRank(ranking, j, 10);
                recall += Metrics.recall(ranking, j, recallK);
            }
            Arrays.sort(ms);
            int n = judged.size();
            scores.add(new Evaluation.ModeScores(mode, ndcg / n, mrr / n, recall / n, n, ms[n / 2]));
        }
        return new Evaluation(index, recallK, scores);
    }
}
