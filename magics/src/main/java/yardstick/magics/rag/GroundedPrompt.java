package yardstick.magics.rag;

import java.util.List;
import yardstick.magics.llm.Message;
import yardstick.magics.rag.search.Hit;

/** The messages that ask a model to answer from numbered sources only, citing them as [n]. */
final class GroundedPrompt {
    static final String SYSTEM = "Answer the question using only the numbered sources below. Cite every claim with "
            + "the number of its source in square brackets, like [1] or [2][3]. If the sources do not contain the "
            + "answer, say that they do not.";

    private GroundedPrompt() {}

    static List<Message> messages(String question, List<Hit> sources) {
        StringBuilder user = new StringBuilder("Sources:\n\n");
        for (int i = 0; i < sources.size(); i++) {
            Hit h = sources.get(i);
            user.append('[').append(i + 1).append("] ").append(h.citation());
            if (!h.heading().isEmpty()) user.append(" — ").append(h.heading());
            user.append('\n').append(h.text().strip()).append("\n\n");
        }
        user.append("Question: ").append(question.strip());
        return List.of(Message.system(SYSTEM), Message.user(user.toString()));
    }
}
