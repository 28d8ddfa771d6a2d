package yardstick.magics.finetune.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.llm.local.GptConfig;
import yardstick.magics.llm.local.Weights;

/**
 * Next-byte prediction over a text: each step takes {@code batch} windows of {@code context + 1} bytes at offsets drawn
 * from a generator seeded by the step number. An epoch is as many steps as it takes to see as many bytes as the text has.
 */
final class LmTask implements TrainTask {
    private final byte[] text;
    private final TinyGpt block;
    private final int batch, context;
    private final long seed;

    LmTask(JobSpec spec, String corpus, GptConfig config) {
        this.text = corpus.getBytes(StandardCharsets.UTF_8);
        this.block = new TinyGpt(config);
        this.batch = spec.batch();
        this.seed = spec.seed();
        this.context = Math.min(config.context(), text.length - 1);
        if (context < 8) throw new JobException("the text is " + text.length + " bytes: too short to train a language model on");
    }

    @Override
    public AbstractBlock block() {
        return block;
    }

    @Override
    public Shape inputShape() {
        return new Shape(batch, context);
    }

    @Override
    public int stepsPerEpoch() {
        return (int) Math.max(1, text.length / ((long) batch * context));
    }

    @Override
    public long samplesPerStep() {
        return (long) batch * context;
    }

    @Override
    public String unit() {
        return "tokens/s";
    }

    @Override
    public NDList[] batch(NDManager m, long step) {
        ByteWindows w = ByteWindows.draw(text, batch, context, seed, step);
        return new NDList[] {new NDList(m.create(w.inputs(), new Shape(batch, context))),
                new NDList(m.create(w.targets(), new Shape((long) batch * context)))};
    }

    @Override
    public Map<String, Double> evaluate(NDManager manager, Function<NDList, NDList> predict) {
        return Map.of();
    }

    @Override
    public Weights weights(Map<String, float[]> values, Map<String, int[]> shapes, Map<String, Object> meta) {
        return gptWeights(block.config(), values, shapes, meta);
    }

    static Weights gptWeights(GptConfig config, Map<String, float[]> values, Map<String, int[]> shapes, Map<String, Object> meta) {
        Map<String, Weights.Tensor> t = new LinkedHashMap<>();
        for (var e : values.entrySet()) t.put(e.getKey(), new Weights.Tensor(shapes.get(e.getKey()), e.getValue()));
        ObjectNode m = new ObjectMapper().valueToTree(meta);
        m.put("tokenizer", "bytes");
        return new Weights("gpt", config.toJson(), m, t);
    }
}
