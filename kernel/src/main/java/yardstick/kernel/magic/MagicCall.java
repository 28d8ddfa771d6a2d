package yardstick.kernel.magic;

import java.util.List;

/**
 * One invocation of a magic: its words after the name (split like a shell does), the raw argument text, the cell
 * body for a cell magic (null for a line magic), and the notebook it runs in.
 */
public record MagicCall(String name, String rawArgs, List<String> words, String body, MagicContext context) {
    public boolean isCell() {
        return body != null;
    }

    /** Parses the words against the options this magic accepts. */
    public Args args(Args.Spec spec) throws MagicException {
        return Args.parse(words, spec);
    }
}
