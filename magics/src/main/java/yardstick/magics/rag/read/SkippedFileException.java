package yardstick.magics.rag.read;

/** A file that cannot be indexed (binary, encrypted, unreadable); the message says which, for the build summary. */
public final class SkippedFileException extends Exception {
    public SkippedFileException(String reason) {
        super(reason, null, false, false);
    }
}
