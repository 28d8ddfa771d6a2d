package yardstick.kernel.display;

import java.util.Arrays;

/**
 * Plain text as JShell shows values: strings quoted, arrays expanded, everything else by toString. That makes the
 * one rule for numbers: as Java writes them ({@link Double#toString}: {@code 3.0E-4}, {@code 2.0}), the same in a
 * result, in %vars, in a table's columns and in the parameters a headless run injects.
 */
public final class TextRenderer {
    private TextRenderer() {}

    /** The text of a value: the same in a cell's result, in %vars and in a headless run. */
    public static String text(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        if (v instanceof Character c) return "'" + c + "'";
        if (v instanceof Object[] a) return Arrays.deepToString(a);
        if (v.getClass().isArray()) return Arrays.deepToString(new Object[] {v}).replaceAll("^\\[|\\]$", "");
        return String.valueOf(v);
    }
}
