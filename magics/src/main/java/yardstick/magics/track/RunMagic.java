package yardstick.magics.track;

import java.util.List;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %run start [NAME] | end | tag K=V...}: the person's own runs inside the session's run. */
public final class RunMagic implements Magic {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public String usage() {
        return "%run | %run start [NAME] | %run end [FINISHED|FAILED|KILLED] | %run tag KEY=VALUE...";
    }

    @Override
    public String help() {
        return "Without arguments shows the current run. 'start' opens a run (a child of the current one) that later "
                + "cells and magics log to until 'end'; 'tag' sets tags on the current run. Each notebook is an "
                + "experiment and each kernel session a parent run; see %runs to list them.";
    }

    @Override
    public Object run(MagicCall call) throws MagicException {
        List<String> w = call.words();
        Tracking t = Tracking.global();
        if (!t.enabled()) throw new MagicException("tracking is off (YARDSTICK_TRACKING=off)");
        if (w.isEmpty()) {
            TrackedRun r = t.current();
            System.out.println("current run: " + r.name() + " (" + idOrPending(r) + ") in experiment '" + t.experimentName() + "'");
            return null;
        }
        switch (w.get(0)) {
            case "start" -> {
                if (w.size() > 2) throw new MagicException("start takes one NAME; quote a name with spaces");
                TrackedRun r = t.start(w.size() == 2 ? w.get(1) : null);
                System.out.println("started run " + (r.name() == null ? "" : "'" + r.name() + "' ") + "(" + idOrPending(r) + ")");
            }
            case "end" -> {
                if (w.size() > 2) throw new MagicException("end takes at most a status");
                String status = w.size() == 2 ? w.get(1).toUpperCase(java.util.Locale.ROOT) : "FINISHED";
                if (!List.of("FINISHED", "FAILED", "KILLED").contains(status)) {
                    throw new MagicException("status must be FINISHED, FAILED or KILLED, not '" + w.get(1) + "'");
                }
                if (!t.endStarted(status)) throw new MagicException("no run started with %run start is open");
                System.out.println("ended run (" + status + ")");
            }
            case "tag" -> {
                if (w.size() < 2) throw new MagicException("tag needs KEY=VALUE");
                TrackedRun r = t.current();
                for (String kv : w.subList(1, w.size())) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) throw new MagicException("expected KEY=VALUE, got '" + kv + "'");
                    try {
                        r.tag(kv.substring(0, eq), kv.substring(eq + 1));
                    } catch (IllegalArgumentException e) {
                        throw new MagicException(e.getMessage());
                    }
                }
            }
            default -> throw new MagicException("unknown subcommand '" + w.get(0) + "'");
        }
        t.printWarnings();
        return null;
    }

    private static String idOrPending(TrackedRun r) {
        try {
            return "id " + r.id();
        } catch (IllegalStateException e) {
            return "id pending: tracker unreachable";
        }
    }
}
