package yardstick.magics.rag;

import yardstick.kernel.Notebook;
import yardstick.kernel.Session;
import yardstick.kernel.display.ProgressDisplay;
import yardstick.kernel.output.OutputRoute;
import yardstick.magics.rag.index.BuildProgress;
import yardstick.magics.rag.index.BuildReport;

/** An index build's progress as the notebook's progress bar under the running cell; outside a notebook, nothing. */
final class NotebookProgress implements BuildProgress {
    private final ProgressDisplay bar;

    private NotebookProgress(String title) {
        this.bar = Notebook.progress(title);
    }

    static BuildProgress forCell(String title) {
        return inNotebook() ? new NotebookProgress(title) : BuildProgress.NONE;
    }

    static boolean inNotebook() {
        try {
            Session.active();
            return OutputRoute.current() != null;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    @Override
    public void update(int filesDone, int files, int chunksEmbedded, String current) {
        bar.update(files == 0 ? 1 : (double) filesDone / files,
                filesDone + "/" + files + " files · " + chunksEmbedded + " chunks embedded · " + current);
    }

    @Override
    public void done(BuildReport report) {
        bar.finish(report.files() + "/" + report.files() + " files · " + report.totalChunks() + " chunks · done in "
                + String.format("%.1f s", report.time().toMillis() / 1000.0));
    }
}
