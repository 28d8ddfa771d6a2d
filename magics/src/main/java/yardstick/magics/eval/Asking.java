package yardstick.magics.eval;

import yardstick.kernel.Notebook;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.widget.WidgetControl;

/**
 * How a magic that needs a person ({@code %rate}, {@code %arena}) asks: widgets, stdin, or the answers file of a
 * headless run. The kernel cannot see the screen, so it goes by what the front end told it: a widget manager opens
 * the widget control comm when it attaches, and each request says whether it takes input.
 */
public enum Asking {
    WIDGETS, STDIN, ANSWERS;

    /** How to ask in the running cell, whose magic named {@code answersFile} (or null). */
    public static Asking here(CommManager comms, String answersFile) {
        boolean frontEnd = comms.connected();
        return choose(frontEnd, frontEnd && WidgetControl.of(comms).frontEndRendersWidgets(), Notebook.inputAllowed(),
                answersFile != null);
    }

    /**
     * With a Jupyter front end: widgets where it renders them, else stdin where it takes input, else the answers file
     * (nbconvert, papermill). Headless, in Yardstick's own runner: the answers file when one is named, else the
     * terminal. Fails when nothing can ask.
     *
     * @param frontEnd     a Jupyter front end is connected
     * @param widgets      it has said it renders widgets
     * @param input        the running request takes input
     * @param answersFile  the magic named an answers file
     */
    public static Asking choose(boolean frontEnd, boolean widgets, boolean input, boolean answersFile) {
        if (!frontEnd) return answersFile ? ANSWERS : STDIN;
        if (widgets) return WIDGETS;
        if (input) return STDIN;
        if (answersFile) return ANSWERS;
        throw new EvalException("nobody to ask: this front end neither shows widgets nor takes input (allow_stdin is"
                + " false); for a headless run, give the answers in a file with --answers FILE");
    }
}
