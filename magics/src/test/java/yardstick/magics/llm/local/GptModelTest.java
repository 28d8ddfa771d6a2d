package yardstick.magics.llm.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import yardstick.magics.finetune.train.TinyGpt;

/** The plain-Java inference computes what the DJL block the trainer trains computes. */
class GptModelTest {
    static {
        System.setProperty("ai.djl.offline", "true");
        // PyTorch's native library unpacks here, not in the home folder.
        if (System.getProperty("DJL_CACHE_DIR") == null) System.setProperty("DJL_CACHE_DIR", "target/djl-cache");
    }

    @Test
    void javaInferenceMatchesTheDjlBlockOnRandomWeights() throws Exception {
        GptConfig config = new GptConfig(256, 16, 24, 2, 3);
        int[] tokens = new int[12];
        Random r = new Random(5);
        for (int i = 0; i < tokens.length; i++) tokens[i] = r.nextInt(256);
        try (Model model = Model.newInstance("t", ai.djl.Device.cpu(), "PyTorch"); NDManager m = model.getNDManager()) {
            TinyGpt block = new TinyGpt(config);
            block.initialize(m, DataType.FLOAT32, new Shape(1, tokens.length));
            Map<String, Weights.Tensor> tensors = new LinkedHashMap<>();
            for (var e : block.named().entrySet()) {
                Parameter p = e.getValue();
                // Random biases and norms too, so that every parameter's role is checked.
                float[] v = p.getArray().toFloatArray();
                for (int i = 0; i < v.length; i++) v[i] += (float) (r.nextGaussian() * 0.05);
                p.getArray().set(v);
                long[] s = p.getArray().getShape().getShape();
                int[] shape = new int[s.length];
                for (int i = 0; i < s.length; i++) shape[i] = (int) s[i];
                tensors.put(e.getKey(), new Weights.Tensor(shape, v));
            }
            long[] ids = new long[tokens.length];
            for (int i = 0; i < ids.length; i++) ids[i] = tokens[i];
            NDArray logits = block.forward(new ParameterStore(m, false), new NDList(m.create(ids, new Shape(1, ids.length))), false).head();
            float[] djl = logits.toFloatArray();

            GptModel java = new GptModel(new Weights("gpt", config.toJson(), null, tensors));
            GptModel.Generation g = java.start();
            for (int t = 0; t < tokens.length; t++) {
                float[] mine = g.feed(tokens[t]);
                for (int v = 0; v < 256; v++) {
                    assertEquals(djl[t * 256 + v], mine[v], 2e-4, "position " + t + ", token " + v);
                }
            }
        }
    }

    @Test
    void weightsRoundTripInFloat32AndFloat16() throws Exception {
        float[] v = {0f, 1f, -2.5f, 1e-3f, 65504f, 0.333333f};
        Weights w = new Weights("gpt", new GptConfig(256, 4, 2, 1, 1).toJson(), null,
                Map.of("a", new Weights.Tensor(new int[] {2, 3}, v)));
        for (boolean half : new boolean[] {false, true}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            w.write(out, half);
            Weights back = Weights.read(new ByteArrayInputStream(out.toByteArray()), "test");
            assertEquals("gpt", back.kind());
            assertArrayEquals(new int[] {2, 3}, back.tensors().get("a").shape());
            float[] got = back.get("a", 2, 3);
            for (int i = 0; i < v.length; i++) assertEquals(v[i], got[i], half ? Math.abs(v[i]) * 1e-3 : 0);
        }
    }

    @Test
    void sampleIsGreedyAtTemperatureZeroAndStaysInTheTopK() {
        float[] logits = new float[256];
        logits[7] = 5;
        logits[9] = 4.9f;
        logits[3] = 4.8f;
        Random r = new Random(1);
        assertEquals(7, GptModel.sample(logits, 0, 40, r));
        for (int i = 0; i < 200; i++) {
            int t = GptModel.sample(logits, 1.0, 2, r);
            assertTrue(t == 7 || t == 9, "sampled " + t);
        }
    }

    @Test
    void erfMatchesKnownValues() {
        assertEquals(0.0, GptModel.erf(0), 1e-7);
        assertEquals(0.8427007929, GptModel.erf(1), 2e-7);
        assertEquals(-0.9953222650, GptModel.erf(-2), 2e-7);
    }
}
