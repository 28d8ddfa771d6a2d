package yardstick.kernel.eval;

import java.util.List;

/** A failed cell as Jupyter shows it: exception name, value, and the traceback lines. */
public record CellError(String ename, String evalue, List<String> traceback) {
    public static CellError of(String ename, String evalue) {
        return new CellError(ename, evalue, List.of(ename + ": " + evalue));
    }
}
