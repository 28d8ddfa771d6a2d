package yardstick.magics.rag.index;

import java.util.ArrayList;
import java.util.List;
import yardstick.magics.rag.embed.Embedder;

/** The real model, remembering every text it was asked to embed. */
final class CountingEmbedder implements Embedder {
    final Embedder model;
    final List<String> texts = new ArrayList<>();

    CountingEmbedder(Embedder model) {
        this.model = model;
    }

    @Override public String name() { return model.name(); }
    @Override public int dimension() { return model.dimension(); }
    @Override public int maxTokens() { return model.maxTokens(); }
    @Override public int countTokens(String text) { return model.countTokens(text); }

    @Override
    public synchronized List<float[]> embed(List<String> batch) {
        texts.addAll(batch);
        return model.embed(batch);
    }

    @Override public void close() {}

    static List<String> copy(CountingEmbedder e) {
        synchronized (e) {
            return new ArrayList<>(e.texts);
        }
    }
}
