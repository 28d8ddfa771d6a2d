package yardstick.magics.finetune;

import java.nio.file.Path;
import yardstick.kernel.Notebook;
import yardstick.kernel.Session;
import yardstick.kernel.display.ProgressDisplay;
import yardstick.kernel.output.OutputRoute;
import yardstick.magics.finetune.job.JobListener;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobState;
import yardstick.magics.finetune.job.Progress;

/**
 * A job's progress bar under the cell that launched (or re-attached) it: step, loss, throughput and ETA, updated in
 * place, also after the cell has ended; at the end the job's state, and for a failure the reason and the end of the
 * trainer's log.
 */
final class ProgressView implements JobListener {
    private final ProgressDisplay bar;

    private ProgressView(String id) {
        this.bar = Notebook.progress("finetune " + id);
        bar.update(0, "launched");
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
        bar.update(p.fraction(), p.summary());
    }

    @Override
    public void ended(JobRecord r, Progress p, Path result, String logTail) {
        String head = r.state() + (r.reason() == null ? "" : ": " + r.reason())
                + (p.steps() > 0 ? " · " + p.summary() : "");
        boolean finished = r.state() == JobState.FINISHED;
        bar.finish(finished ? 1 : p.fraction(), head,
                finished || logTail.isBlank() ? null : "--- end of the trainer's log ---\n" + logTail);
    }
}
