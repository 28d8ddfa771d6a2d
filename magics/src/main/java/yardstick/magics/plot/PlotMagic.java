package yardstick.magics.plot;

import java.util.Set;
import javax.lang.model.SourceVersion;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.track.Runs;

/**
 * {@code %plot TABLE_VAR --x COL --y COL [--kind line|bar|scatter|box|hist] [--group COL] [--title T]}, and
 * {@code %plot runs --metric NAME [--by PARAM]} for a metric across this experiment's runs.
 */
public final class PlotMagic implements Magic {
    private static final Args.Spec SPEC = Args.Spec.of(Set.of("--x", "--y", "--kind", "--group", "--title", "--metric", "--by", "--max"), Set.of());

    @Override
    public String name() {
        return "plot";
    }

    @Override
    public String usage() {
        return "%plot TABLE_VAR --x COL --y COL [--kind line|bar|scatter|box|hist] [--group COL] [--title T] | %plot runs --metric NAME [--by PARAM]";
    }

    @Override
    public String help() {
        return "Charts a Tablesaw table variable (PNG and SVG). line and scatter need numeric x and y; bar averages y per x "
                + "category; box shows y per --group (or per x); hist bins one numeric column (--y, else --x). --group draws "
                + "a series per value. Lines longer than the chart is wide are reduced with largest-triangle-three-buckets. "
                + "%plot runs charts a metric over this experiment's runs, oldest first, or against a param with --by.";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        Args a = call.args(SPEC);
        if (a.positionals().size() != 1) throw new MagicException("usage: " + usage());
        String target = a.positionals().get(0);
        try {
            if (target.equals("runs") && a.option("--metric", null) != null) return runs(a);
            if (!SourceVersion.isIdentifier(target)) throw new MagicException("%plot needs a table variable, not '" + target + "'");
            Object v = call.context().value(target);
            if (!(v instanceof Table t)) throw new MagicException(target + " is not a Tablesaw Table");
            Plots.Kind kind = Plots.Kind.parse(a.option("--kind", "line"));
            String x = a.option("--x", null), y = a.option("--y", null);
            if (kind != Plots.Kind.HIST && kind != Plots.Kind.BOX && (x == null || y == null)) {
                throw new MagicException("a " + kind.name().toLowerCase() + " chart needs --x COL and --y COL");
            }
            if ((kind == Plots.Kind.HIST || kind == Plots.Kind.BOX) && x == null && y == null) {
                throw new MagicException("name the column: --y COL");
            }
            return Plots.plot(t, kind, x, y, a.option("--group", null), a.option("--title", null));
        } catch (PlotException e) {
            throw new MagicException(e.getMessage());
        }
    }

    private static Object runs(Args a) throws MagicException {
        String metric = a.option("--metric", null), by = a.option("--by", null);
        Table all;
        try {
            all = Runs.search("", a.intOption("--max", 1000));
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new MagicException(e.getMessage());
        }
        String m = "metrics." + metric;
        if (!all.columnNames().contains(m)) throw new MagicException("no run of this experiment has a metric '" + metric + "'");
        Table t = all.where(((NumericColumn<?>) all.column(m)).isNotMissing());
        if (by == null) {
            // Oldest first: runs come newest first.
            Table ordered = t.sortAscendingOn("start");
            IntColumn n = IntColumn.indexColumn("run", ordered.rowCount(), 1);
            Table p = Table.create("runs", n, DoubleColumn.create(metric, ((NumericColumn<?>) ordered.column(m)).asDoubleArray()));
            return Plots.xy(p, "run", metric, null, metric + " across runs", true);
        }
        String param = "params." + by;
        if (!t.columnNames().contains(param)) throw new MagicException("no run with metric '" + metric + "' has a param '" + by + "'");
        Table p = Table.create("runs", t.stringColumn(param).copy().setName(by), DoubleColumn.create(metric, ((NumericColumn<?>) t.column(m)).asDoubleArray()));
        return Plots.bar(p, by, metric, null, metric + " by " + by);
    }
}
