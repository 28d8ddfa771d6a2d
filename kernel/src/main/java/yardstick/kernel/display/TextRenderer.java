package yardstick.kernel.display;

import java.util.Arrays;

/** Plain text as JShell shows values: strings quoted, arrays expanded, everything else by toString. */
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
