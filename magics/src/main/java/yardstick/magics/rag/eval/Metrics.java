package yardstick.magics.rag.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Retrieval metrics for one query's ranked document ids against its judgements (grade &gt; 0 is relevant), as
 * trec_eval and BEIR define them: recall@k, reciprocal rank within the top k, and nDCG@k with the grade as gain
 * and a log2(rank + 1) discount.
 */
public final class Metrics {
    private Metrics() {}

    public static double recall(List<String> ranking, Map<String, Integer> judged, int k) {
        long relevant = judged.values().stream().filter(g -> g > 0).count();
        if (relevant == 0) return 0;
        int found = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) if (judged.getOrDefault(ranking.get(i), 0) > 0) found++;
        return (double) found / relevant;
    }

    public static double reciprocalRank(List<String> ranking, Map<String, Integer> judged, int k) {
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            if (judged.getOrDefault(ranking.get(i), 0) > 0) return 1.0 / (i + 1);
        }
        return 0;
    }

    public static double ndcg(List<String> ranking, Map<String, Integer> judged, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            int g = judged.getOrDefault(ranking.get(i), 0);
            if (g > 0) dcg += g / log2(i + 2);
        }
        List<Integer> ideal = new ArrayList<>(judged.values().stream().filter(g -> g > 0).toList());
        ideal.sort((a, b) -> b - a);
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) idcg += ideal.get(i) / log2(i + 2);
        return idcg == 0 ? 0 : dcg / idcg;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
