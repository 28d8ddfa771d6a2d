package yardstick.magics.finetune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.job.TrainingData;
import yardstick.magics.llm.local.Weights;

/**
 * A label for each text, learned by a small head over sentence embeddings that stay fixed (computed once, before the
 * first step). With ten or more rows a fifth is held out (seeded) and its accuracy reported after every epoch.
 */
final class ClassifyTask implements TrainTask {
    static final int HIDDEN = 128;
    private final List<String> labels;
    private final float[][] trainX, valX;
    private final int[] trainY, valY;
    private final ClassifierHead head;
    private final int batch, dim;
    private final long seed;
    private final String embedder;

    ClassifyTask(JobSpec spec, List<TrainingData.Row> rows, List<float[]> vectors) {
        this.labels = List.copyOf(new TreeSet<>(rows.stream().map(TrainingData.Row::label).toList()));
        this.seed = spec.seed();
        this.embedder = spec.base();
        this.dim = vectors.get(0).length;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) order.add(i);
        Collections.shuffle(order, new Random(seed));
        int val = rows.size() >= 10 ? rows.size() / 5 : 0;
        valX = new float[val][];
        valY = new int[val];
        trainX = new float[rows.size() - val][];
        trainY = new int[rows.size() - val];
        for (int k = 0; k < order.size(); k++) {
            int i = order.get(k);
            int y = labels.indexOf(rows.get(i).label());
            if (k < val) {
                valX[k] = vectors.get(i);
                valY[k] = y;
            } else {
                trainX[k - val] = vectors.get(i);
                trainY[k - val] = y;
            }
        }
        this.batch = Math.min(spec.batch(), trainX.length);
        this.head = new ClassifierHead(dim, HIDDEN, labels.size());
    }

    List<String> labels() {
        return labels;
    }

    @Override
    public AbstractBlock block() {
        return head;
    }

    @Override
    public Shape inputShape() {
        return new Shape(batch, dim);
    }

    @Override
    public int stepsPerEpoch() {
        return (trainX.length + batch - 1) / batch;
    }

    @Override
    public long samplesPerStep() {
        return batch;
    }

    @Override
    public String unit() {
        return "examples/s";
    }

    @Override
    public NDList[] batch(NDManager m, long step) {
        int per = stepsPerEpoch();
        long epoch = step / per;
        int at = (int) (step % per) * batch;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < trainX.length; i++) order.add(i);
        Collections.shuffle(order, new Random(seed + epoch));
        int n = Math.min(batch, trainX.length - at);
        float[] x = new float[n * dim];
        long[] y = new long[n];
        for (int k = 0; k < n; k++) {
            int i = order.get(at + k);
            System.arraycopy(trainX[i], 0, x, k * dim, dim);
            y[k] = trainY[i];
        }
        return new NDList[] {new NDList(m.create(x, new Shape(n, dim))), new NDList(m.create(y, new Shape(n)))};
    }

    @Override
    public Map<String, Double> evaluate(NDManager manager, Function<NDList, NDList> predict) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("train_accuracy", accuracy(manager, predict, trainX, trainY));
        if (valX.length > 0) out.put("val_accuracy", accuracy(manager, predict, valX, valY));
        return out;
    }

    private double accuracy(NDManager manager, Function<NDList, NDList> predict, float[][] xs, int[] ys) {
        try (NDManager m = manager.newSubManager()) {
            float[] flat = new float[xs.length * dim];
            for (int i = 0; i < xs.length; i++) System.arraycopy(xs[i], 0, flat, i * dim, dim);
            NDArray logits = predict.apply(new NDList(m.create(flat, new Shape(xs.length, dim)))).head();
            long[] best = logits.argMax(1).toLongArray();
            int right = 0;
            for (int i = 0; i < ys.length; i++) if (best[i] == ys[i]) right++;
            return (double) right / ys.length;
        }
    }

    @Override
    public Weights weights(Map<String, float[]> values, Map<String, int[]> shapes, Map<String, Object> meta) {
        Map<String, Weights.Tensor> t = new LinkedHashMap<>();
        for (var e : values.entrySet()) t.put(e.getKey(), new Weights.Tensor(shapes.get(e.getKey()), e.getValue()));
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = json.valueToTree(meta);
        m.set("labels", json.valueToTree(labels));
        m.put("embedder", embedder);
        ObjectNode config = json.createObjectNode().put("inputs", dim).put("hidden", HIDDEN).put("classes", labels.size());
        return new Weights("classifier", config, m, t);
    }
}
