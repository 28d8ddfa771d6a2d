package yardstick.magics.rag.eval;

import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Mean retrieval metrics per ranking mode over the judged queries, with a table and a grouped bar chart. */
public record Evaluation(String index, int recallK, List<ModeScores> modes) {
    /** One mode's means over {@code queries} judged queries, and its median search time in milliseconds. */
    public record ModeScores(String mode, double ndcg10, double mrr10, double recallAtK, int queries, double p50Ms) {}

    public Evaluation {
        modes = List.copyOf(modes);
    }

    public ModeScores mode(String name) {
        return modes.stream().filter(m -> m.mode().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no mode " + name));
    }

    /** Metric name (e.g. {@code hybrid.ndcg_at_10}) to value, as a tracker logs them. */
    public Map<String, Double> metrics() {
        var out = new java.util.LinkedHashMap<String, Double>();
        for (ModeScores m : modes) {
            out.put(m.mode() + ".ndcg_at_10", m.ndcg10());
            out.put(m.mode() + ".mrr_at_10", m.mrr10());
            out.put(m.mode() + ".recall_at_" + recallK, m.recallAtK());
        }
        return out;
    }

    public Table table() {
        return Table.create("retrieval on " + index,
                StringColumn.create("mode", modes.stream().map(ModeScores::mode).toList()),
                DoubleColumn.create("nDCG@10", modes.stream().mapToDouble(m -> round(m.ndcg10()))),
                DoubleColumn.create("MRR@10", modes.stream().mapToDouble(m -> round(m.mrr10()))),
                DoubleColumn.create("recall@" + recallK, modes.stream().mapToDouble(m -> round(m.recallAtK()))),
                IntColumn.create("queries", modes.stream().mapToInt(ModeScores::queries).toArray()),
                DoubleColumn.create("p50 ms", modes.stream().mapToDouble(m -> Math.round(m.p50Ms() * 100) / 100.0)));
    }

    public CategoryChart chart() {
        CategoryChart c = new CategoryChartBuilder().width(640).height(360).title("Retrieval on " + index)
                .yAxisTitle("score").build();
        List<String> metrics = List.of("nDCG@10", "MRR@10", "recall@" + recallK);
        for (ModeScores m : modes) c.addSeries(m.mode(), metrics, List.of(m.ndcg10(), m.mrr10(), m.recallAtK()));
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        return c;
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }

    @Override
    public String toString() {
        return table().print();
    }
}
