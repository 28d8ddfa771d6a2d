package yardstick.magics.llm.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shape of a small decoder-only transformer over bytes: vocabulary (256 byte values), context length, width,
 * layers and attention heads. Pre-norm blocks (LayerNorm, causal self-attention, LayerNorm, GELU MLP four times as
 * wide), learned positions, output projection tied to the token embedding.
 */
public record GptConfig(int vocab, int context, int dim, int layers, int heads) {
    /** LayerNorm's epsilon, the same in training and inference. */
    public static final float LAYER_NORM_EPS = 1e-5f;

    public GptConfig {
        if (vocab < 2 || context < 2 || dim < 1 || layers < 1 || heads < 1) {
            throw new IllegalArgumentException("model sizes must be positive: " + vocab + "/" + context + "/" + dim
                    + "/" + layers + "/" + heads);
        }
        if (dim % heads != 0) throw new IllegalArgumentException("width " + dim + " is not a multiple of " + heads + " heads");
    }

    public int headDim() {
        return dim / heads;
    }

    public int hidden() {
        return 4 * dim;
    }

    /** Parameters in total (token and position embeddings, blocks, final norm). */
    public long parameters() {
        long perLayer = 4L * dim + (3L * dim * dim + 3L * dim) + (dim * (long) dim + dim)
                + (dim * (long) hidden() + hidden()) + (hidden() * (long) dim + dim);
        return (long) vocab * dim + (long) context * dim + layers * perLayer + 2L * dim;
    }

    public ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("vocab", vocab).put("context", context).put("dim", dim).put("layers", layers).put("heads", heads);
        return n;
    }

    public static GptConfig fromJson(JsonNode n) {
        return new GptConfig(n.path("vocab").asInt(256), n.path("context").asInt(), n.path("dim").asInt(),
                n.path("layers").asInt(), n.path("heads").asInt());
    }
}
