package yardstick.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.display.ProgressDisplay;
import yardstick.kernel.magic.Environment;
import yardstick.kernel.output.OutputRoute;

/**
 * The functions every cell has (statically imported): display, update a display from any thread, clear output,
 * ask for input, comms. Output goes to the cell that started the calling thread, also after that cell ended.
 */
public final class Notebook {
    private Notebook() {}

    /** Shows a value below the cell and returns the display id that {@link #updateDisplay} takes. */
    public static String display(Object value) {
        String id = UUID.randomUUID().toString();
        route().sink().display(Session.active().render(value), id, false);
        return id;
    }

    /** Replaces what a display shows, wherever it is in the notebook. */
    public static void updateDisplay(String displayId, Object value) {
        route().sink().display(Session.active().render(value), displayId, true);
    }

    /**
     * A progress bar below the running cell, shown at its first update and updated in place, from any thread, at most
     * five times a second. Outside a notebook (no cell has run) it shows nothing, so library code can always ask.
     */
    public static ProgressDisplay progress(String label) {
        OutputRoute r = OutputRoute.current();
        return new ProgressDisplay(label, r == null ? null : r.sink(), ProgressDisplay.DEFAULT_INTERVAL_NANOS,
                System::nanoTime);
    }

    /** Clears the cell's output; with {@code wait}, only when the next output arrives (no flicker). */
    public static void clearOutput(boolean wait) {
        OutputRoute r = route();
        r.flush();
        r.sink().clearOutput(wait);
    }

    public static void clearOutput() {
        clearOutput(false);
    }

    public static MimeBundle html(String html) {
        return new MimeBundle().put("text/html", html).put("text/plain", html);
    }

    public static MimeBundle markdown(String markdown) {
        return new MimeBundle().put("text/markdown", markdown).put("text/plain", markdown);
    }

    /** Asks the person for a line of text (Jupyter's input box; the terminal in a headless run). */
    public static String input(String prompt) {
        OutputRoute r = route();
        r.flush();
        try {
            return r.sink().input(prompt, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@link #input} can ask here: false where the front end takes no input (nbconvert, papermill). */
    public static boolean inputAllowed() {
        return route().sink().inputAllowed();
    }

    public static CommManager comms() {
        return Session.active().comms();
    }

    /** An environment variable as the notebook sees it (including those set with %env). */
    public static String env(String name) {
        return Environment.shared().get(name);
    }

    private static OutputRoute route() {
        OutputRoute r = OutputRoute.current();
        if (r == null) throw new IllegalStateException("no cell is running: display needs a notebook");
        return r;
    }
}
