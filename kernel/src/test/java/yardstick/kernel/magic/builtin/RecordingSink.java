package yardstick.kernel.magic.builtin;

import java.util.ArrayList;
import java.util.List;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.output.OutputSink;

/** Collects what one cell wrote to stdout and stderr and what it displayed. */
final class RecordingSink implements OutputSink {
    final StringBuilder stdout = new StringBuilder();
    final StringBuilder stderr = new StringBuilder();
    final List<MimeBundle> displays = new ArrayList<>();

    @Override
    public synchronized void stream(String name, String text) {
        (name.equals("stderr") ? stderr : stdout).append(text);
    }

    @Override
    public synchronized void display(MimeBundle bundle, String displayId, boolean update) {
        displays.add(bundle);
    }

    @Override
    public void clearOutput(boolean wait) {}

    @Override
    public String input(String prompt, boolean password) {
        throw new UnsupportedOperationException("tests give no input");
    }
}
