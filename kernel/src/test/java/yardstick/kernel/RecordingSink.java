package yardstick.kernel;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.output.OutputSink;

/** An output sink for tests: records what a cell sent, answers input from a queue. */
public final class RecordingSink implements OutputSink {
    public final StringBuffer stdout = new StringBuffer();
    public final StringBuffer stderr = new StringBuffer();
    public final List<MimeBundle> displays = new ArrayList<>();
    public final List<String> displayIds = new ArrayList<>();
    public final Deque<String> inputs = new ArrayDeque<>();
    public int clears;

    @Override
    public void stream(String name, String text) {
        ("stderr".equals(name) ? stderr : stdout).append(text);
    }

    @Override
    public synchronized void display(MimeBundle bundle, String displayId, boolean update) {
        displays.add(bundle);
        displayIds.add((update ? "update:" : "") + displayId);
    }

    @Override
    public synchronized void clearOutput(boolean wait) {
        clears++;
    }

    @Override
    public synchronized String input(String prompt, boolean password) throws IOException {
        if (inputs.isEmpty()) throw new IOException("no input queued");
        return inputs.poll();
    }
}
