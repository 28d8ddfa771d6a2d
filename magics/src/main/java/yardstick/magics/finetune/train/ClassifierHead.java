package yardstick.magics.finetune.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * A two-layer head over frozen sentence embeddings: {@code fc} (ReLU) then {@code out} to one logit per label. The
 * same math runs in plain Java in {@link yardstick.magics.finetune.Classifier}.
 */
final class ClassifierHead extends AbstractBlock {
    private final Parameter fcW, fcB, outW, outB;
    private final int inputs, classes;

    ClassifierHead(int inputs, int hidden, int classes) {
        this.inputs = inputs;
        this.classes = classes;
        fcW = addParameter(p("fc.w", Parameter.Type.WEIGHT, new XavierInitializer(), hidden, inputs));
        fcB = addParameter(p("fc.b", Parameter.Type.BIAS, new ConstantInitializer(0), hidden));
        outW = addParameter(p("out.w", Parameter.Type.WEIGHT, new XavierInitializer(), classes, hidden));
        outB = addParameter(p("out.b", Parameter.Type.BIAS, new ConstantInitializer(0), classes));
    }

    private static Parameter p(String name, Parameter.Type type, ai.djl.training.initializer.Initializer init, long... shape) {
        return Parameter.builder().setName(name).setType(type).optShape(new Shape(shape)).optInitializer(init).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x = in.singletonOrThrow();
        Device d = x.getDevice();
        NDArray h = Activation.relu(Linear.linear(x, ps.getValue(fcW, d, training), ps.getValue(fcB, d, training)).head());
        return Linear.linear(h, ps.getValue(outW, d, training), ps.getValue(outB, d, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return new Shape[] {new Shape(in[0].get(0), classes)};
    }

    int inputs() {
        return inputs;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {}
}
