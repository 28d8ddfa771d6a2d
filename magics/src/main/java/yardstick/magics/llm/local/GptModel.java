package yardstick.magics.llm.local;

import java.util.Random;

/**
 * Inference for a {@link GptConfig} model in plain Java, one token at a time with a key/value cache: no native
 * library to load, so the first answer comes in milliseconds. The math mirrors the trainer's DJL block
 * ({@code yardstick.magics.finetune.train.TinyGpt}) operation for operation. Thread-safe: each {@link Generation}
 * has its own cache.
 */
public final class GptModel {
    private final GptConfig c;
    private final float[] tok, pos, lnfG, lnfB;
    private final Layer[] layers;

    private record Layer(float[] ln1G, float[] ln1B, float[] qkvW, float[] qkvB, float[] projW, float[] projB,
            float[] ln2G, float[] ln2B, float[] fcW, float[] fcB, float[] outW, float[] outB) {}

    public GptModel(Weights w) {
        if (!w.kind().equals("gpt")) throw new IllegalArgumentException("weights hold a '" + w.kind() + "', not a language model");
        this.c = GptConfig.fromJson(w.config());
        int d = c.dim(), h = c.hidden();
        tok = w.get("tok", c.vocab(), d);
        pos = w.get("pos", c.context(), d);
        lnfG = w.get("lnf.g", d);
        lnfB = w.get("lnf.b", d);
        layers = new Layer[c.layers()];
        for (int l = 0; l < layers.length; l++) {
            String p = "l" + l + ".";
            layers[l] = new Layer(w.get(p + "ln1.g", d), w.get(p + "ln1.b", d), w.get(p + "qkv.w", 3 * d, d),
                    w.get(p + "qkv.b", 3 * d), w.get(p + "proj.w", d, d), w.get(p + "proj.b", d), w.get(p + "ln2.g", d),
                    w.get(p + "ln2.b", d), w.get(p + "fc.w", h, d), w.get(p + "fc.b", h), w.get(p + "out.w", d, h),
                    w.get(p + "out.b", d));
        }
    }

    public GptConfig config() {
        return c;
    }

    public Generation start() {
        return new Generation();
    }

    /** One sequence being extended: feed tokens, read the logits for the next one. */
    public final class Generation {
        private final float[][] keys = new float[c.layers()][c.context() * c.dim()];
        private final float[][] values = new float[c.layers()][c.context() * c.dim()];
        private final float[] x = new float[c.dim()], a = new float[c.dim()], qkv = new float[3 * c.dim()],
                o = new float[c.dim()], f = new float[c.hidden()], att = new float[c.context()],
                logits = new float[c.vocab()];
        private int length;

        public int length() {
            return length;
        }

        /** Appends a token and returns the logits for the token after it (the array is reused by the next call). */
        public float[] feed(int token) {
            if (length == c.context()) throw new IllegalStateException("the context of " + c.context() + " tokens is full");
            int d = c.dim(), hd = c.headDim(), p = length;
            for (int i = 0; i < d; i++) x[i] = tok[token * d + i] + pos[p * d + i];
            float scale = (float) (1 / Math.sqrt(hd));
            for (int l = 0; l < layers.length; l++) {
                Layer L = layers[l];
                layerNorm(x, L.ln1G, L.ln1B, a);
                matVec(L.qkvW, L.qkvB, a, qkv, 3 * d, d);
                System.arraycopy(qkv, d, keys[l], p * d, d);
                System.arraycopy(qkv, 2 * d, values[l], p * d, d);
                float[] K = keys[l], V = values[l];
                for (int h = 0; h < c.heads(); h++) {
                    int off = h * hd;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j <= p; j++) {
                        float s = 0;
                        for (int i = 0; i < hd; i++) s += qkv[off + i] * K[j * d + off + i];
                        s *= scale;
                        att[j] = s;
                        if (s > max) max = s;
                    }
                    float sum = 0;
                    for (int j = 0; j <= p; j++) {
                        att[j] = (float) Math.exp(att[j] - max);
                        sum += att[j];
                    }
                    for (int i = 0; i < hd; i++) o[off + i] = 0;
                    for (int j = 0; j <= p; j++) {
                        float wgt = att[j] / sum;
                        for (int i = 0; i < hd; i++) o[off + i] += wgt * V[j * d + off + i];
                    }
                }
                matVecAdd(L.projW, L.projB, o, x, d, d);
                layerNorm(x, L.ln2G, L.ln2B, a);
                matVec(L.fcW, L.fcB, a, f, c.hidden(), d);
                for (int i = 0; i < f.length; i++) f[i] = gelu(f[i]);
                matVecAdd(L.outW, L.outB, f, x, d, c.hidden());
            }
            layerNorm(x, lnfG, lnfB, a);
            matVec(tok, null, a, logits, c.vocab(), d);
            length++;
            return logits;
        }
    }

    /** Picks a token: the most likely at temperature 0, else a sample from the {@code topK} most likely. */
    public static int sample(float[] logits, double temperature, int topK, Random random) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        if (temperature <= 0) return best;
        int k = Math.min(topK, logits.length);
        int[] idx = new int[k];
        float[] top = new float[k];
        java.util.Arrays.fill(top, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < logits.length; i++) {
            float v = logits[i];
            if (v <= top[k - 1]) continue;
            int j = k - 1;
            while (j > 0 && top[j - 1] < v) {
                top[j] = top[j - 1];
                idx[j] = idx[j - 1];
                j--;
            }
            top[j] = v;
            idx[j] = i;
        }
        double[] p = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp((top[i] - top[0]) / temperature);
            sum += p[i];
        }
        double r = random.nextDouble() * sum;
        for (int i = 0; i < k; i++) {
            r -= p[i];
            if (r <= 0) return idx[i];
        }
        return idx[k - 1];
    }

    static void layerNorm(float[] x, float[] g, float[] b, float[] out) {
        int n = x.length;
        double mean = 0;
        for (float v : x) mean += v;
        mean /= n;
        double var = 0;
        for (float v : x) var += (v - mean) * (v - mean);
        var /= n;
        float inv = (float) (1 / Math.sqrt(var + GptConfig.LAYER_NORM_EPS));
        for (int i = 0; i < n; i++) out[i] = (float) ((x[i] - mean) * inv) * g[i] + b[i];
    }

    /** out = W in + b for W of {@code rows x cols}, row-major (DJL's Linear layout, [out, in]). */
    static void matVec(float[] w, float[] b, float[] in, float[] out, int rows, int cols) {
        for (int r = 0; r < rows; r++) out[r] = dot(w, r * cols, in, cols) + (b == null ? 0 : b[r]);
    }

    /** acc += W in + b. */
    static void matVecAdd(float[] w, float[] b, float[] in, float[] acc, int rows, int cols) {
        for (int r = 0; r < rows; r++) acc[r] += dot(w, r * cols, in, cols) + b[r];
    }

    private static float dot(float[] w, int off, float[] in, int n) {
        // Four partial sums: independent chains the CPU can run side by side.
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += w[off + i] * in[i];
            s1 += w[off + i + 1] * in[i + 1];
            s2 += w[off + i + 2] * in[i + 2];
            s3 += w[off + i + 3] * in[i + 3];
        }
        for (; i < n; i++) s0 += w[off + i] * in[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** GELU as PyTorch computes it by default: x Φ(x), with the exact error function. */
    static float gelu(float x) {
        return (float) (0.5 * x * (1 + erf(x / Math.sqrt(2))));
    }

    /** The error function to about 1.2e-7 (Numerical Recipes' Chebyshev fit of erfc). */
    static double erf(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - r : r - 1;
    }
}
