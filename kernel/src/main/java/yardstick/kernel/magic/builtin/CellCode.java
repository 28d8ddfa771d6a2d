package yardstick.kernel.magic.builtin;

import yardstick.kernel.eval.Outcome;
import yardstick.kernel.magic.CellFailure;
import yardstick.kernel.magic.MagicContext;

/** Runs code as a cell on a magic's behalf: its value comes back, its failure becomes the cell's failure. */
final class CellCode {
    private CellCode() {}

    /** The code's value, or null when it has none (declarations, statements). */
    static Object run(MagicContext context, String code) throws CellFailure {
        Outcome o = context.eval(code);
        if (!o.ok()) throw new CellFailure(o.error());
        return o.hasValue() ? o.value() : null;
    }
}
