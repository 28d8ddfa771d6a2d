package yardstick.magics.llm;

import java.util.Locale;
import yardstick.kernel.Notebook;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.magic.MagicContext;

/** A batch's progress shown below the cell and updated in place, at most ten times a second. */
final class ProgressBar implements BatchProgress {
    private final MagicContext context;
    private final String label;
    private String displayId;
    private long lastNanos;

    ProgressBar(MagicContext context, String label) {
        this.context = context;
        this.label = label;
    }

    @Override
    public void update(int done, int failed, int total) {
        long now = System.nanoTime();
        boolean last = done == total;
        if (displayId != null && !last && now - lastNanos < 100_000_000L) return;
        lastNanos = now;
        MimeBundle bundle = render(done, failed, total);
        if (displayId == null) displayId = context.display(bundle);
        else Notebook.updateDisplay(displayId, bundle);
    }

    MimeBundle render(int done, int failed, int total) {
        int width = 30;
        int filled = total == 0 ? width : done * width / total;
        String text = String.format(Locale.ROOT, "%s [%s%s] %d/%d%s", label, "#".repeat(filled), " ".repeat(width - filled),
                done, total, failed > 0 ? ", " + failed + " failed" : "");
        String html = String.format(Locale.ROOT, "<div><progress value=\"%d\" max=\"%d\" style=\"width:20em\"></progress> "
                + "%s %d/%d%s</div>", done, Math.max(total, 1), label, done, total, failed > 0 ? ", " + failed + " failed" : "");
        return new MimeBundle().put("text/html", html).put("text/plain", text);
    }
}
