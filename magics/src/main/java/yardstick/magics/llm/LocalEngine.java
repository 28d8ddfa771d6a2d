package yardstick.magics.llm;

import java.util.function.Consumer;

/**
 * A text-generation model that runs inside this JVM, through DJL. Implementations register with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/yardstick.magics.llm.LocalEngine}); the fine-tune module
 * ships the one for Yardstick's small bundled model, whose files come in a Maven artifact so nothing downloads.
 */
public interface LocalEngine extends AutoCloseable {
    /** The model names it answers to; {@code local} means "the default local model". */
    boolean serves(String model);

    /** Generates the assistant's next message; streams pieces to {@code onToken} when it is non-null. */
    Completion generate(ChatRequest request, Consumer<String> onToken) throws InterruptedException;

    @Override
    default void close() {}
}
