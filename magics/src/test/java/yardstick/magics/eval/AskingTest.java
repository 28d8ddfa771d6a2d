package yardstick.magics.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static yardstick.magics.eval.Asking.ANSWERS;
import static yardstick.magics.eval.Asking.STDIN;
import static yardstick.magics.eval.Asking.WIDGETS;
import static yardstick.magics.eval.Asking.choose;

import org.junit.jupiter.api.Test;

class AskingTest {
    @Test
    void aJupyterFrontEndGetsWidgetsWhenItRendersThemElseStdinElseTheAnswersFile() {
        // JupyterLab or Notebook 7 with ipywidgets: the widget manager opened the control comm.
        assertEquals(WIDGETS, choose(true, true, true, true));
        assertEquals(WIDGETS, choose(true, true, false, false));
        // A front end without widgets that takes input (jupyter console, a Lab without ipywidgets).
        assertEquals(STDIN, choose(true, false, true, true));
        // nbconvert or papermill: no widgets, no input, so the parameter file.
        assertEquals(ANSWERS, choose(true, false, false, true));
        EvalException e = assertThrows(EvalException.class, () -> choose(true, false, false, false));
        assertTrue(e.getMessage().contains("--answers FILE"), e.getMessage());
    }

    @Test
    void yardsticksOwnHeadlessRunReadsTheAnswersFileWhenNamedElseTheTerminal() {
        assertEquals(ANSWERS, choose(false, false, true, true));
        assertEquals(STDIN, choose(false, false, true, false));
    }
}
