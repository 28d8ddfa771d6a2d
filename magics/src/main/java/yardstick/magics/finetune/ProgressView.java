package yardstick.magics.finetune;

import java.nio.file.Path;
import yardstick.kernel.Notebook;
import yardstick.kernel.Session;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.output.OutputRoute;
import yardstick.magics.finetune.job.JobListener;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobState;
import yardstick.magics.finetune.job.Progress;

/**
 * A job's progress bar under the cell that launched (or re-attached) it: step, loss, throughput and ETA, updated in
 * place at most five times a second, also after the cell has ended; at the end the job's state, and for a failure
 * the reason and the end of the trainer's log.
 */
final class ProgressView implements JobListener {
    private static final long INTERVAL_NS = 200_000_000L;
    private final String id;
    private final String displayId;
    private long last;

    private ProgressView(String id) {
        this.id = id;
        this.displayId = Notebook.display(bundle("launched", 0, null));
    }

    /** A view in the current cell, or null outside a notebook. */
    static ProgressView forCell(String id) {
        try {
            Session.active();
            if (OutputRoute.current() == null) return null;
        } catch (IllegalStateException e) {
            return null;
        }
        return new ProgressView(id);
    }

    @Override
    public void step(Progress p) {
        long now = System.nanoTime();
        if (now - last < INTERVAL_NS && p.step() != p.steps()) return;
        last = now;
        Notebook.updateDisplay(displayId, bundle(p.summary(), p.fraction(), null));
    }

    @Override
    public void ended(JobRecord r, Progress p, Path result, String logTail) {
        String head = r.state() + (r.reason() == null ? "" : ": " + r.reason())
                + (p.steps() > 0 ? " · " + p.summary() : "");
        Notebook.updateDisplay(displayId, bundle(head, r.state() == JobState.FINISHED ? 1 : p.fraction(),
                r.state() == JobState.FINISHED || logTail.isBlank() ? null : logTail));
    }

    private MimeBundle bundle(String detail, double fraction, String tail) {
        int filled = (int) Math.round(fraction * 20);
        String text = "finetune " + id + " [" + "#".repeat(filled) + ".".repeat(20 - filled) + "] " + detail
                + (tail == null ? "" : "\n--- end of the trainer's log ---\n" + tail);
        String html = "<div><b>finetune " + esc(id) + "</b> <progress value=\"" + Math.round(fraction * 1000)
                + "\" max=\"1000\" style=\"width:30%\"></progress> " + esc(detail)
                + (tail == null ? "" : "<pre style=\"max-height:20em;overflow:auto\">" + esc(tail) + "</pre>") + "</div>";
        return new MimeBundle().put("text/html", html).put("text/plain", text);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
