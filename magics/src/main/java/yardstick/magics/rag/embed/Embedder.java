package yardstick.magics.rag.embed;

import java.util.List;

/**
 * Turns text into unit-length vectors, so that a dot product is the cosine similarity. Implementations: a local
 * ONNX model ({@link OnnxEmbedder}) or an OpenAI-compatible embeddings endpoint ({@link HttpEmbedder}).
 */
public interface Embedder extends AutoCloseable {
    /** Names the model; an index built with one embedder is re-embedded when the name changes. */
    String name();

    int dimension();

    /** The most tokens the model reads from one text; chunks should not be longer. */
    int maxTokens();

    /** How many tokens the model's tokenizer makes of a text (without special tokens). */
    int countTokens(String text);

    /** One L2-normalized vector per text, in order. */
    List<float[]> embed(List<String> texts);

    default float[] embed(String text) {
        return embed(List.of(text)).get(0);
    }

    @Override
    void close();

    /** Scales a vector to unit length in place (a zero vector stays zero). */
    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        if (sum == 0) return v;
        float inv = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
        return v;
    }
}
