package yardstick.magics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opentest4j.AssertionFailedError;
import yardstick.kernel.Session;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.eval.Outcome;
import yardstick.kernel.output.OutputSink;

/** A real notebook session (JShell, magic registry, display) for magic tests; keeps what the last cell printed and showed. */
public final class TestNotebook implements AutoCloseable {
    private final Session session;
    private Sink last = new Sink();

    private static final class Sink implements OutputSink {
        final StringBuffer stdout = new StringBuffer(), stderr = new StringBuffer();
        final List<MimeBundle> displays = new ArrayList<>();

        @Override
        public void stream(String name, String text) {
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
            throw new UnsupportedOperationException("no stdin in tests");
        }
    }

    /** A headless session: no front end, so magics take their non-widget paths. */
    public TestNotebook(Path dir) {
        session = new Session(dir, new CommManager(null));
    }

    public Outcome run(String cell) {
        last = new Sink();
        return session.execute(cell, last, "cell");
    }

    /** Runs a cell that must succeed; its value, or null when it has none. */
    public Object ok(String cell) {
        Outcome o = run(cell);
        if (!o.ok()) throw new AssertionFailedError("cell failed: " + String.join("\n", o.error().traceback()) + "\n" + last.stderr);
        return o.hasValue() ? o.value() : null;
    }

    /** Runs a cell that must fail; the error's one line, as the notebook shows it. */
    public String fails(String cell) {
        Outcome o = run(cell);
        if (o.ok()) throw new AssertionFailedError("cell should have failed; it printed: " + last.stdout);
        return o.error().evalue();
    }

    public String stdout() {
        return last.stdout.toString();
    }

    /** What the last cell displayed while it ran (not its value). */
    public List<MimeBundle> displays() {
        return last.displays;
    }

    @Override
    public void close() {
        session.close();
    }
}
