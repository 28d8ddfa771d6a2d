package yardstick.magics.engine;

import yardstick.kernel.magic.MagicCall;

/**
 * Where a magic's batch work runs when its cell says {@code --engine NAME}; the kernel itself when it says nothing.
 * Engines are found with {@link java.util.ServiceLoader} ({@code META-INF/services/yardstick.magics.engine.Engine}),
 * so an engine and its libraries stay out of the magics (the Spark engine is the {@code spark} module).
 */
public interface Engine {
    /** The name {@code --engine} takes, e.g. {@code spark}. */
    String name();

    /**
     * Runs {@code magic} ({@code prompt}, {@code rag index}, {@code eval}) for this call: the engine reads the call's
     * options itself. Returns what the cell shows.
     */
    Object run(String magic, MagicCall call) throws Exception;
}
