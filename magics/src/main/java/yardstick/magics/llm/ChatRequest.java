package yardstick.magics.llm;

import java.util.List;

/**
 * What is sent to a model: its name at the endpoint, the messages, and the sampling parameters (null: the server's
 * default).
 */
public record ChatRequest(String model, List<Message> messages, Double temperature, Integer maxTokens) {
    public ChatRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) throw new IllegalArgumentException("a chat request needs at least one message");
    }
}
