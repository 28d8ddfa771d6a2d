package yardstick.magics.rag.index;

import yardstick.magics.rag.RagException;

/** Another process (or another build in this one) is writing the index. */
public final class IndexLockedException extends RagException {
    public IndexLockedException(String index, Throwable cause) {
        super("index " + index + " is being written by another kernel or process (its write.lock is held); "
                + "wait for that build to finish", cause);
    }
}
