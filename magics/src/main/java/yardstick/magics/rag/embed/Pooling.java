package yardstick.magics.rag.embed;

import java.util.ArrayList;
import java.util.List;

/** Sentence vectors from token states: the mean over real (unmasked) tokens, scaled to unit length. */
final class Pooling {
    private Pooling() {}

    /** {@code states} is [batch, tokens, hidden] row-major; {@code mask} is [batch, tokens] of 0/1. */
    static List<float[]> meanNormalized(float[] states, long[] mask, int batch, int tokens) {
        int hidden = states.length / (batch * tokens);
        List<float[]> out = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            float[] v = new float[hidden];
            int count = 0;
            for (int j = 0; j < tokens; j++) {
                if (mask[i * tokens + j] == 0) continue;
                count++;
                int base = (i * tokens + j) * hidden;
                for (int h = 0; h < hidden; h++) v[h] += states[base + h];
            }
            if (count > 0) for (int h = 0; h < hidden; h++) v[h] /= count;
            out.add(Embedder.normalize(v));
        }
        return out;
    }
}
