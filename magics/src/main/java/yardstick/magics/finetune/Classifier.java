package yardstick.magics.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import yardstick.magics.llm.local.Weights;
import yardstick.magics.rag.embed.Embedder;
import yardstick.magics.rag.embed.Embedders;

/**
 * A trained text classifier: the fine-tune's head, run in plain Java over the same sentence embedder it was trained
 * on. {@code predict("great product")} gives the label; {@code scores} gives each label's probability.
 */
public final class Classifier {
    private final List<String> labels;
    private final String embedderSpec;
    private final float[] fcW, fcB, outW, outB;
    private final int inputs, hidden;

    public Classifier(Weights w) {
        if (!w.kind().equals("classifier")) throw new IllegalArgumentException("weights hold a '" + w.kind() + "', not a classifier");
        inputs = w.config().path("inputs").asInt();
        hidden = w.config().path("hidden").asInt();
        int classes = w.config().path("classes").asInt();
        labels = new ArrayList<>();
        w.meta().withArray("labels").forEach(n -> labels.add(n.asText()));
        embedderSpec = w.meta().path("embedder").asText("minilm");
        fcW = w.get("fc.w", hidden, inputs);
        fcB = w.get("fc.b", hidden);
        outW = w.get("out.w", classes, hidden);
        outB = w.get("out.b", classes);
    }

    public static Classifier load(Path file) throws IOException {
        return new Classifier(Weights.read(file));
    }

    public List<String> labels() {
        return List.copyOf(labels);
    }

    public String predict(String text) {
        return predict(List.of(text)).get(0);
    }

    public List<String> predict(List<String> texts) {
        List<String> out = new ArrayList<>(texts.size());
        for (float[] p : probabilities(texts)) {
            int best = 0;
            for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
            out.add(labels.get(best));
        }
        return out;
    }

    /** Each label's probability for the text. */
    public Map<String, Double> scores(String text) {
        float[] p = probabilities(List.of(text)).get(0);
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < p.length; i++) m.put(labels.get(i), (double) p[i]);
        return m;
    }

    private List<float[]> probabilities(List<String> texts) {
        Embedder e = Embedders.get(embedderSpec);
        List<float[]> out = new ArrayList<>();
        for (float[] x : e.embed(texts)) out.add(probabilities(x));
        return out;
    }

    /** The head's math on one embedding: ReLU(fc x) then softmax(out h). */
    float[] probabilities(float[] x) {
        if (x.length != inputs) throw new IllegalArgumentException("embedding has " + x.length + " dimensions, the head expects " + inputs);
        float[] h = new float[hidden];
        for (int r = 0; r < hidden; r++) {
            float s = fcB[r];
            for (int c = 0; c < inputs; c++) s += fcW[r * inputs + c] * x[c];
            h[r] = Math.max(0, s);
        }
        float[] z = new float[outB.length];
        float max = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < z.length; r++) {
            float s = outB[r];
            for (int c = 0; c < hidden; c++) s += outW[r * hidden + c] * h[c];
            z[r] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int r = 0; r < z.length; r++) sum += Math.exp(z[r] - max);
        for (int r = 0; r < z.length; r++) z[r] = (float) (Math.exp(z[r] - max) / sum);
        return z;
    }
}
