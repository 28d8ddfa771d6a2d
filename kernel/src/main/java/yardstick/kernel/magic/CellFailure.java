package yardstick.kernel.magic;

import yardstick.kernel.eval.CellError;

/**
 * Thrown by a magic that ran code on the person's behalf ({@code %time}, {@code %load}) when that code failed: the
 * cell then fails with the code's own error and traceback, not with a magic error.
 */
public final class CellFailure extends Exception {
    private final transient CellError error;

    public CellFailure(CellError error) {
        super(error.ename() + ": " + error.evalue(), null, false, false);
        this.error = error;
    }

    public CellError error() {
        return error;
    }
}
