package yardstick.kernel.display;

import java.util.Locale;
import java.util.UUID;
import java.util.function.LongSupplier;
import yardstick.kernel.output.OutputSink;
import yardstick.kernel.widget.Html;

/**
 * A progress bar below a cell, updated in place (update_display_data) from any thread, also after the cell ended. It
 * shows a label, a bar, and a line of detail, as HTML with a text fallback. Updates closer together than the interval
 * are dropped, except a complete one ({@code done == total}, fraction 1); {@link #finish} is always shown.
 */
public final class ProgressDisplay {
    /** At most five renderings a second: enough to look live, few enough not to flood the front end. */
    public static final long DEFAULT_INTERVAL_NANOS = 200_000_000L;
    private static final int WIDTH = 20;

    private final String label;
    private final OutputSink sink;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final String displayId = UUID.randomUUID().toString();
    private boolean shown;
    private boolean finished;
    private long lastNanos;

    /**
     * A display that sends to {@code sink} (null: one that shows nothing, for code running outside a notebook), at
     * most once per {@code intervalNanos} by {@code clock}.
     */
    public ProgressDisplay(String label, OutputSink sink, long intervalNanos, LongSupplier clock) {
        this.label = label;
        this.sink = sink;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
    }

    /** The id of the display it updates. */
    public String displayId() {
        return displayId;
    }

    /** {@code done} of {@code total} items, shown as {@code done/total} before the detail (which may be null). */
    public void update(long done, long total, String detail) {
        String counts = done + "/" + total;
        show(total <= 0 ? 1 : (double) done / total, detail == null || detail.isEmpty() ? counts : counts + " · " + detail,
                null, done >= total, false);
    }

    /** A fraction in [0, 1] of the work, with a line of detail. */
    public void update(double fraction, String detail) {
        show(fraction, detail, null, fraction >= 1, false);
    }

    /** The last rendering: a full bar and the detail. Later updates are ignored. */
    public void finish(String detail) {
        finish(1, detail, null);
    }

    /** The last rendering: the bar at {@code fraction}, the detail, and {@code log} (may be null) in a box below. */
    public void finish(double fraction, String detail, String log) {
        show(fraction, detail, log, true, true);
    }

    private synchronized void show(double fraction, String detail, String log, boolean complete, boolean last) {
        if (finished || sink == null) return;
        long now = clock.getAsLong();
        if (shown && !complete && now - lastNanos < intervalNanos) return;
        lastNanos = now;
        finished = last;
        sink.display(render(fraction, detail, log), displayId, shown);
        shown = true;
    }

    /** The bundle shown for this state: text/html and text/plain. */
    public MimeBundle render(double fraction, String detail, String log) {
        double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.round(f * WIDTH);
        String d = detail == null ? "" : detail;
        String text = label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]" + (d.isEmpty() ? "" : " " + d)
                + (log == null || log.isBlank() ? "" : "\n" + log);
        String html = "<div><b>" + Html.escape(label) + "</b> <progress value=\""
                + String.format(Locale.ROOT, "%d", Math.round(f * 1000)) + "\" max=\"1000\" style=\"width:30%\"></progress> "
                + Html.escape(d)
                + (log == null || log.isBlank() ? "" : "<pre style=\"max-height:20em;overflow:auto\">" + Html.escape(log) + "</pre>")
                + "</div>";
        return new MimeBundle().put("text/html", html).put("text/plain", text);
    }
}
