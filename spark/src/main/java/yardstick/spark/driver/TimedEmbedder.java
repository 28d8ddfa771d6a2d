package yardstick.spark.driver;

import java.util.List;
import yardstick.magics.rag.embed.Embedder;

/** An embedder that adds up the time spent in it: token counting (chunking) apart from embedding. */
final class TimedEmbedder implements Embedder {
    private final Embedder inner;
    long countNanos, embedNanos;

    TimedEmbedder(Embedder inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int dimension() {
        return inner.dimension();
    }

    @Override
    public int maxTokens() {
        return inner.maxTokens();
    }

    @Override
    public int countTokens(String text) {
        long t0 = System.nanoTime();
        int n = inner.countTokens(text);
        countNanos += System.nanoTime() - t0;
        return n;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        long t0 = System.nanoTime();
        List<float[]> v = inner.embed(texts);
        embedNanos += System.nanoTime() - t0;
        return v;
    }

    /** The model is shared by the executor's tasks: closing one task's view leaves it loaded. */
    @Override
    public void close() {}
}
