package yardstick.kernel.magic;

import java.util.List;

/**
 * One invocation of a magic: the raw argument text after its name, the cell body for a cell magic (null for a line
 * magic), and the notebook it runs in.
 */
public record MagicCall(String name, String rawArgs, String body, MagicContext context) {
    public boolean isCell() {
        return body != null;
    }

    /**
     * The arguments split as a shell does. Split on demand, so magics that take Java code as raw text (such as
     * {@code %time char c = '\'';}) never trip over quotes.
     */
    public List<String> words() throws MagicException {
        return Words.split(rawArgs);
    }

    /** Parses the words against the options this magic accepts. */
    public Args args(Args.Spec spec) throws MagicException {
        return Args.parse(words(), spec);
    }
}
