package yardstick.magics.llm;

/** Told, on the thread that runs a batch, how far it has got. */
@FunctionalInterface
public interface BatchProgress {
    BatchProgress NONE = (done, failed, total) -> {};

    void update(int done, int failed, int total);
}
