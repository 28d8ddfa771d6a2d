package yardstick.kernel.display;

import java.util.Arrays;

/** Plain text as JShell shows values: strings quoted, arrays expanded, everything else by toString. */
final class TextRenderer {
    private TextRenderer() {}

    static String text(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        if (v instanceof Character c) return "'" + c + "'";
        if (v instanceof Object[] a) return Arrays.deepToString(a);
        if (v.getClass().isArray()) return Arrays.deepToString(new Object[] {v}).replaceAll("^\\[|\\]$", "");
        return String.valueOf(v);
    }
}
