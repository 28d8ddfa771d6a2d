package yardstick.magics.eval;

import yardstick.magics.rag.embed.Embedder;
import yardstick.magics.rag.embed.OnnxEmbedder;

/** The MiniLM embedder for the embedding scorer, loaded on first use (it takes seconds) and kept. */
final class SharedEmbedder {
    private static volatile Embedder embedder;

    private SharedEmbedder() {}

    static Embedder get() {
        Embedder e = embedder;
        if (e == null) {
            synchronized (SharedEmbedder.class) {
                if (embedder == null) embedder = OnnxEmbedder.miniLm();
                e = embedder;
            }
        }
        return e;
    }
}
