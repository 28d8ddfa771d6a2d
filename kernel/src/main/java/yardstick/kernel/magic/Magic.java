package yardstick.kernel.magic;

/**
 * A command in a cell: {@code %name args} on a line, or {@code %%name args} as a cell's first line with the rest of
 * the cell as its body. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/yardstick.kernel.magic.Magic}).
 */
public interface Magic {
    String name();

    /** One line: the forms it takes, e.g. {@code %rag search NAME "query" [-k 10]}. */
    String usage();

    /** A paragraph saying what it does. */
    default String help() {
        return usage();
    }

    /**
     * Runs the magic. Returns a value to display (or null). Throws {@link MagicException} for bad arguments: the
     * person sees its message and the usage, no stack trace.
     */
    Object run(MagicCall call) throws Exception;
}
