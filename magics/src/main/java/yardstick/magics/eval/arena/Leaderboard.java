package yardstick.magics.eval.arena;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.magics.eval.stats.BradleyTerry;

/** Bradley–Terry ratings (Elo scale) of the models from their votes, with bootstrap 95% intervals, best first. */
public final class Leaderboard {
    /** One model's line. */
    public record Entry(String model, double rating, double low, double high, int battles, double wins, int ties) {}

    private final List<Entry> entries;
    private final boolean regularized;
    private final int votes;

    private Leaderboard(List<Entry> entries, boolean regularized, int votes) {
        this.entries = entries;
        this.regularized = regularized;
        this.votes = votes;
    }

    public static Leaderboard of(List<String> models, List<Vote> all, int rounds, long seed) {
        List<BradleyTerry.Battle> battles = new ArrayList<>();
        int[] count = new int[models.size()], ties = new int[models.size()];
        double[] wins = new double[models.size()];
        for (Vote v : all) {
            int a = models.indexOf(v.modelA()), b = models.indexOf(v.modelB());
            if (a < 0 || b < 0) continue;
            battles.add(new BradleyTerry.Battle(a, b, v.scoreA()));
            count[a]++;
            count[b]++;
            wins[a] += v.scoreA();
            wins[b] += 1 - v.scoreA();
            if (v.scoreA() == 0.5) {
                ties[a]++;
                ties[b]++;
            }
        }
        if (battles.isEmpty()) throw new yardstick.magics.eval.EvalException("no votes between " + models + " yet");
        BradleyTerry.Intervals iv = BradleyTerry.bootstrap(models.size(), battles.toArray(BradleyTerry.Battle[]::new), rounds, seed);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            entries.add(new Entry(models.get(i), iv.fit().ratings()[i], iv.low()[i], iv.high()[i], count[i], wins[i], ties[i]));
        }
        entries.sort(Comparator.comparingDouble(Entry::rating).reversed());
        return new Leaderboard(entries, iv.fit().regularized(), battles.size());
    }

    public List<Entry> entries() {
        return entries;
    }

    /** True when some model never lost (or never won), so the fit needed its weak prior to stay finite. */
    public boolean regularized() {
        return regularized;
    }

    public int votes() {
        return votes;
    }

    public Table table() {
        IntColumn rank = IntColumn.create("rank");
        StringColumn model = StringColumn.create("model");
        DoubleColumn rating = DoubleColumn.create("rating"), low = DoubleColumn.create("low_95"), high = DoubleColumn.create("high_95"),
                wins = DoubleColumn.create("wins");
        IntColumn battles = IntColumn.create("battles"), ties = IntColumn.create("ties_or_both_bad");
        int r = 1;
        for (Entry e : entries) {
            rank.append(r++);
            model.append(e.model());
            rating.append(Math.round(e.rating() * 10) / 10.0);
            low.append(Math.round(e.low() * 10) / 10.0);
            high.append(Math.round(e.high() * 10) / 10.0);
            battles.append(e.battles());
            wins.append(e.wins());
            ties.append(e.ties());
        }
        return Table.create("leaderboard", rank, model, rating, low, high, battles, wins, ties);
    }

    /** Ratings as points with their 95% intervals as vertical bars, best model on the left. */
    public XYChart chart() {
        XYChart c = new XYChartBuilder().width(560).height(360).title("Bradley–Terry ratings (95% bootstrap intervals)")
                .xAxisTitle("rank").yAxisTitle("rating").build();
        // Model names go in the legend, best first: XChart draws no text labels on a numeric x axis.
        c.getStyler().setLegendVisible(true);
        c.getStyler().setXAxisMin(-0.5);
        c.getStyler().setXAxisMax(entries.size() - 0.5);
        c.getStyler().setxAxisTickLabelsFormattingFunction(x -> {
            int i = (int) Math.round(x);
            return Math.abs(x - i) < 1e-9 && i >= 0 && i < entries.size() ? String.valueOf(i + 1) : "";
        });
        double[] xs = new double[entries.size()], ys = new double[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            xs[i] = i;
            ys[i] = e.rating();
            XYSeries bar = c.addSeries((i + 1) + ". " + e.model(), new double[] {i, i}, new double[] {e.low(), e.high()});
            bar.setMarker(SeriesMarkers.NONE);
        }
        XYSeries pts = c.addSeries("rating", xs, ys);
        pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        pts.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(java.awt.Color.DARK_GRAY);
        pts.setShowInLegend(false);
        return c;
    }
}
