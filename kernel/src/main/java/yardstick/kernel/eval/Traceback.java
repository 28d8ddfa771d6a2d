package yardstick.kernel.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A cell's traceback as IPython shows one: ANSI colours (the exception red, the cell's frames green, a compile
 * error's position cyan), and in each exception's frames the cell's first, the library's folded into one line that
 * counts them and names the innermost. Each line is coloured whole, so its text stays searchable.
 */
public final class Traceback {
    static final String RED = "\u001b[1;31m";
    static final String GREEN = "\u001b[0;32m";
    static final String CYAN = "\u001b[0;36m";
    static final String DIM = "\u001b[2m";
    static final String RESET = "\u001b[0m";
    private static final Pattern COMPILE_POSITION = Pattern.compile("^line \\d+, column \\d+: .*");
    private static final Pattern CARET = Pattern.compile("^\\s*\\^\\s*$");

    private Traceback() {}

    /** The lines of {@link CellError#traceback()} for a front end that understands ANSI colours. */
    public static List<String> render(List<String> lines) {
        List<String> out = new ArrayList<>();
        List<String> library = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("\tat ")) {
                if (isCellFrame(line)) out.add("\tat " + GREEN + line.substring(4) + RESET);
                else library.add(line.substring(4));
                continue;
            }
            fold(library, out);
            if (COMPILE_POSITION.matcher(line).matches()) out.add(CYAN + line + RESET);
            else if (CARET.matcher(line).matches()) out.add(RED + line + RESET);
            else if (line.startsWith("    ")) out.add(line);
            else out.add(RED + line + RESET);
        }
        fold(library, out);
        return out;
    }

    private static boolean isCellFrame(String frame) {
        return frame.contains("(cell ") || frame.contains("(cell)") || frame.contains("(#");
    }

    private static void fold(List<String> library, List<String> out) {
        if (library.isEmpty()) return;
        out.add(DIM + "\t... " + library.size() + (library.size() == 1 ? " library frame" : " library frames")
                + ", innermost " + library.get(0) + RESET);
        library.clear();
    }
}
