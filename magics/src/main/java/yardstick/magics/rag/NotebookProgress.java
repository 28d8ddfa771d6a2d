package yardstick.magics.rag;

import yardstick.kernel.Notebook;
import yardstick.kernel.Session;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.output.OutputRoute;
import yardstick.magics.rag.index.BuildProgress;
import yardstick.magics.rag.index.BuildReport;

/**
 * A progress bar under the running cell, updated in place (update_display_data) at most five times a second. Outside
 * a notebook it shows nothing.
 */
final class NotebookProgress implements BuildProgress {
    private static final long INTERVAL_NS = 200_000_000L;
    private final String title;
    private String displayId;
    private long last;

    private NotebookProgress(String title) {
        this.title = title;
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
        long now = System.nanoTime();
        if (displayId != null && now - last < INTERVAL_NS) return;
        last = now;
        show(bar(filesDone, files, chunksEmbedded + " chunks embedded · " + current));
    }

    @Override
    public void done(BuildReport report) {
        show(bar(report.files(), report.files(), report.totalChunks() + " chunks · done in "
                + String.format("%.1f s", report.time().toMillis() / 1000.0)));
    }

    private void show(MimeBundle b) {
        if (displayId == null) displayId = Notebook.display(b);
        else Notebook.updateDisplay(displayId, b);
    }

    private MimeBundle bar(int done, int total, String detail) {
        int pct = total == 0 ? 100 : (int) (100L * done / total);
        int filled = pct / 5;
        String text = title + " [" + "#".repeat(filled) + ".".repeat(20 - filled) + "] " + done + "/" + total
                + " files · " + detail;
        String html = "<div><b>" + esc(title) + "</b> <progress value=\"" + done + "\" max=\"" + Math.max(total, 1)
                + "\" style=\"width:40%\"></progress> " + done + "/" + total + " files · " + esc(detail) + "</div>";
        return new MimeBundle().put("text/html", html).put("text/plain", text);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
