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
            // JShell keeps a snippet's leading white space and comments in its source, so positions in its
            // diagnostics and stack traces count from where the previous snippet ended.
            if (!c.isComplete() || info.source() == null) {
                pieces.add(new Piece(code.substring(pos), pos, code.length(), false));
                break;
            }
            int consumed = rest.length() - info.remaining().length();
            pieces.add(new Piece(info.source(), pos, pos + consumed, true));
            pos += consumed;
            rest = info.remaining();
        }
        return pieces;
    }
}
