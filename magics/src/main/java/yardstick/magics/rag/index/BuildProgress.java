package yardstick.magics.rag.index;

/** Told how a build advances, from the building thread. */
public interface BuildProgress {
    BuildProgress NONE = (filesDone, files, chunks, current) -> {};

    /** {@code filesDone} of {@code files} handled, {@code chunksEmbedded} so far, working on {@code current}. */
    void update(int filesDone, int files, int chunksEmbedded, String current);

    default void done(BuildReport report) {}
}
