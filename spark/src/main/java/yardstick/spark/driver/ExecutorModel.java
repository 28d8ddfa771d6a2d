package yardstick.spark.driver;

import java.util.HashSet;
import java.util.Set;
import yardstick.magics.rag.embed.Embedder;
import yardstick.magics.rag.embed.Embedders;
import yardstick.magics.rag.embed.OnnxEmbedder;

/**
 * The embedding model on an executor: loaded by the first task that needs it and shared by every later task in that
 * JVM ({@link Embedders} keeps one per spec), with ONNX Runtime limited to the executor's cores so that executors
 * sharing a machine do not oversubscribe it.
 */
final class ExecutorModel {
    private static final Set<String> LOADED = new HashSet<>();

    /** The model, and how long this call spent loading it (0 unless this task was the first). */
    record Loaded(Embedder embedder, long loadMs) {}

    private ExecutorModel() {}

    static synchronized Loaded get(String spec, int threads) {
        if (threads > 0 && System.getProperty(OnnxEmbedder.THREADS_PROPERTY) == null) {
            System.setProperty(OnnxEmbedder.THREADS_PROPERTY, Integer.toString(threads));
        }
        long t0 = System.nanoTime();
        Embedder e = Embedders.get(spec);
        return new Loaded(e, LOADED.add(spec) ? (System.nanoTime() - t0) / 1_000_000 : 0);
    }
}
