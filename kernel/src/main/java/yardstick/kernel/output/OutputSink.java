package yardstick.kernel.output;

import java.io.IOException;
import yardstick.kernel.display.MimeBundle;

/** Where one cell's output goes: a Jupyter front end over IOPub, or a notebook file in a headless run. */
public interface OutputSink {
    /** Text on stdout or stderr, already batched. */
    void stream(String name, String text);

    /** A display_data message, or update_display_data when {@code update} is true. */
    void display(MimeBundle bundle, String displayId, boolean update);

    void clearOutput(boolean wait);

    /** Asks the person at the front end for one line of input. */
    String input(String prompt, boolean password) throws IOException;

    /** Whether {@link #input} may ask at all: a Jupyter front end says so per request ({@code allow_stdin}). */
    default boolean inputAllowed() {
        return true;
    }
}
