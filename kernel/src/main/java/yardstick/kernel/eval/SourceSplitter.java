package yardstick.kernel.eval;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/** Cuts a cell into JShell snippets, remembering where each starts in the cell so errors point at cell positions. */
final class SourceSplitter {
    /** One snippet: its source as JShell wants it and its offset in the cell; complete is false for a trailing fragment. */
    record Piece(String source, int offset, int end, boolean complete) {}

    private SourceSplitter() {}

    static List<Piece> split(SourceCodeAnalysis analysis, String code) {
        List<Piece> pieces = new ArrayList<>();
        int pos = 0;
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness c = info.completeness();
            if (c == Completeness.EMPTY) break;
            // JShell keeps a snippet's leading white space and comments, but numbers its stack-trace lines
            // inconsistently when they span lines; without them, positions and lines count from the first code.
            if (!c.isComplete() || info.source() == null) {
                int start = pos + codeStart(rest);
                pieces.add(new Piece(code.substring(start), start, code.length(), false));
                break;
            }
            int consumed = rest.length() - info.remaining().length();
            int skip = codeStart(info.source());
            pieces.add(new Piece(info.source().substring(skip), pos + skip, pos + consumed, true));
            pos += consumed;
            rest = info.remaining();
        }
        return pieces;
    }

    /** Length of the leading white space and comments of a snippet's source. */
    static int codeStart(String s) {
        int i = 0;
        while (i < s.length()) {
            if (Character.isWhitespace(s.charAt(i))) {
                i++;
            } else if (s.startsWith("//", i)) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl + 1;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) return i;
                i = end + 2;
            } else {
                break;
            }
        }
        return i;
    }
}
