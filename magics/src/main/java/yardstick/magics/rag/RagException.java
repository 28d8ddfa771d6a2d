package yardstick.magics.rag;

/** A RAG operation cannot go on; the message says why in one line, fit to show a person as is. */
public class RagException extends RuntimeException {
    public RagException(String message) {
        super(message);
    }

    public RagException(String message, Throwable cause) {
        super(message, cause);
    }
}
