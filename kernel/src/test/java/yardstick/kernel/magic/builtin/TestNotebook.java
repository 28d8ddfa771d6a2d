package yardstick.kernel.magic.builtin;

import java.nio.file.Path;
import yardstick.kernel.RecordingSink;
import yardstick.kernel.Session;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.eval.Outcome;

/** A real session for magic tests: runs cells and keeps the output of the last one. */
final class TestNotebook implements AutoCloseable {
    final Session session;
    RecordingSink last;
    private int count;

    TestNotebook(Path dir) {
        session = new Session(dir, new CommManager(null));
    }

    Outcome run(String cell) {
        last = new RecordingSink();
        return session.execute(cell, last, "cell [" + ++count + "]");
    }

    /** Runs a cell that must succeed and returns its value (null when it has none). */
    Object ok(String cell) {
        Outcome o = run(cell);
        if (!o.ok()) throw new AssertionError("cell failed: " + String.join("\n", o.error().traceback()));
        return o.hasValue() ? o.value() : null;
    }

    /** Runs a cell that must fail and returns its traceback as one text. */
    String fails(String cell) {
        Outcome o = run(cell);
        if (o.ok()) throw new AssertionError("cell should have failed; it printed: " + last.stdout);
        return String.join("\n", o.error().traceback());
    }

    String out() {
        return last.stdout.toString();
    }

    @Override
    public void close() {
        session.close();
    }
}
