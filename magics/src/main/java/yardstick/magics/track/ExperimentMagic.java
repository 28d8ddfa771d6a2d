package yardstick.magics.track;

import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %experiment [NAME]}: shows or changes the experiment this notebook logs to. */
public final class ExperimentMagic implements Magic {
    @Override
    public String name() {
        return "experiment";
    }

    @Override
    public String usage() {
        return "%experiment | %experiment NAME";
    }

    @Override
    public String help() {
        return "Without arguments shows the experiment this notebook logs to (named after the notebook's path) and the "
                + "tracker's URL. With a "
                + "NAME, later runs go to that experiment (created if needed): the session's run so far ends and a new "
                + "one opens there. End runs opened with %run start first.";
    }

    @Override
    public Object run(MagicCall call) throws MagicException {
        Tracking t = Tracking.global();
        if (!t.enabled()) throw new MagicException("tracking is off (YARDSTICK_TRACKING=off)");
        java.util.List<String> w = call.words();
        if (w.size() > 1) throw new MagicException("one NAME; quote a name with spaces");
        String name = w.isEmpty() ? "" : w.get(0).strip();
        if (name.isEmpty()) {
            // The tracker's URL too: the home's tracker keeps it across kernels, so it can be bookmarked.
            System.out.println("experiment '" + t.experimentName() + "' on " + t.trackerName() + "/");
            return null;
        }
        try {
            t.useExperiment(name);
        } catch (IllegalStateException e) {
            throw new MagicException(e.getMessage());
        }
        System.out.println("logging to experiment '" + name + "'");
        t.printWarnings();
        return null;
    }
}
