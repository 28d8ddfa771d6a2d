package yardstick.magics.llm;

import java.util.function.Consumer;

/** Something that answers chat requests: an OpenAI-compatible endpoint, or a model running in this JVM. */
public interface Provider {
    /** Identifies the provider in the response cache's key: its kind and where it is, never a secret. */
    String id();

    /**
     * Answers one request. With {@code onToken} non-null the answer streams: each piece of text is passed on as it
     * arrives. Throws {@link LlmException} with a one-line message when it cannot answer.
     */
    Completion complete(ChatRequest request, Consumer<String> onToken) throws InterruptedException;
}
