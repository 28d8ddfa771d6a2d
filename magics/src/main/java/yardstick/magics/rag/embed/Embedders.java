package yardstick.magics.rag.embed;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import yardstick.kernel.magic.Environment;
import yardstick.magics.rag.RagException;

/**
 * Embedders by spec, each loaded once per JVM and shared (loading a model takes seconds): {@code minilm} (the
 * default), {@code dir:PATH} for a model folder with model.onnx and tokenizer.json, or
 * {@code openai:BASE_URL#MODEL} for an OpenAI-compatible endpoint (key from {@code OPENAI_API_KEY}). An index
 * stores the spec it was built with, so searching embeds queries with the same model.
 */
public final class Embedders {
    public static final String MINILM = "minilm";
    private static final Map<String, Embedder> LOADED = new ConcurrentHashMap<>();

    private Embedders() {}

    public static Embedder get(String spec) {
        String s = spec == null || spec.isBlank() ? MINILM : spec.strip();
        return LOADED.computeIfAbsent(s, Embedders::load);
    }

    private static Embedder load(String spec) {
        if (spec.equals(MINILM)) return OnnxEmbedder.miniLm();
        if (spec.startsWith("dir:")) return OnnxEmbedder.fromDirectory(Path.of(spec.substring(4)), 512);
        if (spec.startsWith("openai:")) {
            String rest = spec.substring(7);
            int hash = rest.lastIndexOf('#');
            if (hash < 0) throw new RagException("embedder " + spec + " needs a model: openai:BASE_URL#MODEL");
            return new HttpEmbedder(rest.substring(0, hash), rest.substring(hash + 1),
                    Environment.shared().get("OPENAI_API_KEY"), 8191, 64);
        }
        throw new RagException("unknown embedder '" + spec + "': use minilm, dir:PATH or openai:BASE_URL#MODEL");
    }
}
