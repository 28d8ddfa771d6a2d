package yardstick.magics.track;

import yardstick.kernel.magic.Args;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %runs [--filter EXPR] [--max N]}: this notebook's runs as a table. */
public final class RunsMagic implements Magic {
    private static final Args.Spec SPEC = Args.Spec.of(java.util.Set.of("--filter", "--max"), java.util.Set.of());

    @Override
    public String name() {
        return "runs";
    }

    @Override
    public String usage() {
        return "%runs [--filter EXPR] [--max N]";
    }

    @Override
    public String help() {
        return "Lists this notebook's runs, newest first (default 50): name, status, start, duration, parent, then "
                + "params.* and metrics.* columns. EXPR is MLflow's search syntax, e.g. \"metrics.cost < 0.1 and "
                + "params.model = 'mini'\".";
    }

    @Override
    public Object run(MagicCall call) throws MagicException {
        Args a = call.args(SPEC);
        if (!a.positionals().isEmpty()) throw new MagicException("unexpected '" + a.positionals().get(0) + "'; quote the filter");
        int max = a.intOption("--max", 50);
        if (max < 1) throw new MagicException("--max must be at least 1");
        if (!Tracking.global().enabled()) throw new MagicException("tracking is off (YARDSTICK_TRACKING=off)");
        try {
            return Runs.search(a.option("--filter", ""), max);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new MagicException(e.getMessage());
        }
    }
}
