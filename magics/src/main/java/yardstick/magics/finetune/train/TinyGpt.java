package yardstick.magics.finetune.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import yardstick.magics.llm.local.GptConfig;

/**
 * The byte-level causal transformer of {@link GptConfig} as one DJL block: input token ids {@code [batch, time]},
 * output logits {@code [batch, time, vocab]}. Its parameter names and math are exactly those of the plain-Java
 * {@link yardstick.magics.llm.local.GptModel} that serves the trained weights, so that inference needs no PyTorch.
 */
public final class TinyGpt extends AbstractBlock {
    private final GptConfig config;
    private final Map<String, Parameter> params = new LinkedHashMap<>();

    public TinyGpt(GptConfig c) {
        this.config = c;
        int d = c.dim(), h = c.hidden();
        weight("tok", 0.02f, c.vocab(), d);
        weight("pos", 0.01f, c.context(), d);
        // Residual projections start smaller so that deep stacks begin near the identity (GPT-2's scheme).
        float residual = (float) (0.02 / Math.sqrt(2.0 * c.layers()));
        for (int l = 0; l < c.layers(); l++) {
            String p = "l" + l + ".";
            constant(p + "ln1.g", 1, d);
            constant(p + "ln1.b", 0, d);
            weight(p + "qkv.w", 0.02f, 3 * d, d);
            constant(p + "qkv.b", 0, 3 * d);
            weight(p + "proj.w", residual, d, d);
            constant(p + "proj.b", 0, d);
            constant(p + "ln2.g", 1, d);
            constant(p + "ln2.b", 0, d);
            weight(p + "fc.w", 0.02f, h, d);
            constant(p + "fc.b", 0, h);
            weight(p + "out.w", residual, d, h);
            constant(p + "out.b", 0, d);
        }
        constant("lnf.g", 1, d);
        constant("lnf.b", 0, d);
    }

    public GptConfig config() {
        return config;
    }

    /** The parameters by name, in file order. */
    public Map<String, Parameter> named() {
        return params;
    }

    private void weight(String name, float sigma, long... shape) {
        add(name, Parameter.Type.WEIGHT, new NormalInitializer(sigma), shape);
    }

    private void constant(String name, float value, long... shape) {
        add(name, value == 0 ? Parameter.Type.BIAS : Parameter.Type.GAMMA, new ConstantInitializer(value), shape);
    }

    private void add(String name, Parameter.Type type, ai.djl.training.initializer.Initializer init, long... shape) {
        Parameter p = Parameter.builder().setName(name).setType(type).optShape(new Shape(shape)).optInitializer(init).build();
        params.put(name, addParameter(p));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> extra) {
        NDArray ids = inputs.singletonOrThrow();
        Device dev = ids.getDevice();
        long b = ids.getShape().get(0), t = ids.getShape().get(1);
        int d = config.dim(), heads = config.heads(), hd = config.headDim();
        if (t > config.context()) throw new IllegalArgumentException(t + " tokens exceed the context of " + config.context());
        NDArray tok = v(ps, "tok", dev, training);
        NDArray x = ids.getNDArrayInternal().embedding(ids, tok, SparseFormat.DENSE).singletonOrThrow();
        x = x.add(v(ps, "pos", dev, training).get("0:" + t));
        NDArray mask = causalMask(ids.getManager(), (int) t).toDevice(dev, false);
        float scale = (float) (1 / Math.sqrt(hd));
        Shape norm = new Shape(d);
        for (int l = 0; l < config.layers(); l++) {
            String p = "l" + l + ".";
            NDArray a = layerNorm(x, norm, v(ps, p + "ln1.g", dev, training), v(ps, p + "ln1.b", dev, training));
            NDArray qkv = Linear.linear(a, v(ps, p + "qkv.w", dev, training), v(ps, p + "qkv.b", dev, training)).head();
            qkv = qkv.reshape(b, t, 3, heads, hd).transpose(2, 0, 3, 1, 4);
            NDArray q = qkv.get(0), k = qkv.get(1), val = qkv.get(2);
            NDArray att = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(mask).softmax(-1);
            NDArray o = att.matMul(val).transpose(0, 2, 1, 3).reshape(b, t, d);
            x = x.add(Linear.linear(o, v(ps, p + "proj.w", dev, training), v(ps, p + "proj.b", dev, training)).head());
            a = layerNorm(x, norm, v(ps, p + "ln2.g", dev, training), v(ps, p + "ln2.b", dev, training));
            NDArray f = Activation.gelu(Linear.linear(a, v(ps, p + "fc.w", dev, training), v(ps, p + "fc.b", dev, training)).head());
            x = x.add(Linear.linear(f, v(ps, p + "out.w", dev, training), v(ps, p + "out.b", dev, training)).head());
        }
        x = layerNorm(x, norm, v(ps, "lnf.g", dev, training), v(ps, "lnf.b", dev, training));
        return new NDList(Linear.linear(x, tok, null).head());
    }

    private NDArray v(ParameterStore ps, String name, Device dev, boolean training) {
        return ps.getValue(params.get(name), dev, training);
    }

    private static NDArray layerNorm(NDArray x, Shape shape, NDArray g, NDArray b) {
        return x.getNDArrayInternal().layerNorm(x, shape, g, b, GptConfig.LAYER_NORM_EPS).singletonOrThrow();
    }

    /** Zero on and below the diagonal, a large negative number above: position i attends to 0..i only. */
    static NDArray causalMask(NDManager m, int t) {
        float[] v = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) v[i * t + j] = -1e9f;
        }
        return m.create(v, new Shape(t, t));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), inputs[0].get(1), config.vocab())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {}
}
