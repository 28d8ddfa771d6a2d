package yardstick.magics.plot;

import java.util.Set;
import javax.lang.model.SourceVersion;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
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
                + "%plot runs charts a metric over this experiment's runs, oldest first, or its mean per value of a param with --by "
                + "(runs without the param are left out).";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        Args a = call.args(SPEC);
        if (a.positionals().size() != 1) throw new MagicException("usage: " + usage());
        String target = a.positionals().get(0);
        try {
            if (target.equals("runs") && a.option("--metric", null) != null) return runs(a);
            if (!SourceVersion.isIdentifier(target)) throw new MagicException("%plot needs a table variable, not '" + target + "'");
            Object v;
            try {
                v = call.context().value(target);
            } catch (MagicException e) {
                if (target.equals("runs")) throw new MagicException("%plot runs needs the metric to plot: --metric NAME [--by PARAM]");
                throw e;
            }
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
        if (all.isEmpty()) throw new MagicException("experiment " + all.name() + " has no runs yet");
        String m = "metrics." + metric, param = "params." + by;
        if (!all.columnNames().contains(m)) throw new MagicException("no run of this experiment has a metric '" + metric + "'");
        NumericColumn<?> values = (NumericColumn<?>) all.column(m);
        StringColumn params = by != null && all.columnNames().contains(param) ? all.stringColumn(param) : null;
        DoubleColumn y = DoubleColumn.create(metric);
        StringColumn x = StringColumn.create(by == null ? "run" : by);
        // Oldest first. Runs come newest first by their start in milliseconds; the "start" column keeps only seconds,
        // so sorting on it would shuffle runs started in the same second.
        for (int r = all.rowCount() - 1; r >= 0; r--) {
            if (values.isMissing(r) || by != null && (params == null || params.get(r).isEmpty())) continue;
            y.append(values.getDouble(r));
            if (params != null) x.append(params.get(r));
        }
        if (by == null) {
            return Plots.xy(Table.create("runs", IntColumn.indexColumn("run", y.size(), 1), y), "run", metric, null, metric + " across runs", true);
        }
        if (y.isEmpty()) throw new MagicException("no run with metric '" + metric + "' has a param '" + by + "'");
        return Plots.bar(Table.create("runs", x, y), by, metric, null, metric + " by " + by);
    }
}
