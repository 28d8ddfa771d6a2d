package yardstick.magics.finetune.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import java.util.Map;
import yardstick.magics.llm.local.Weights;

/** What {@link TrainLoop} needs from a task: the model, its batches, and how to save it. */
interface TrainTask {
    /** The block being trained; its parameters have names that {@link #weights} writes. */
    AbstractBlock block();

    /** The input shape the block is initialized with. */
    Shape inputShape();

    int stepsPerEpoch();

    /** What one step processes, for throughput: tokens for a language model, examples for a classifier. */
    long samplesPerStep();

    String unit();

    /** Inputs and labels of a step; the same step always gets the same batch, so a resumed job continues exactly. */
    NDList[] batch(NDManager manager, long step);

    /** Metrics to report after an epoch ends (validation accuracy), computed with the current weights. */
    Map<String, Double> evaluate(NDManager manager, java.util.function.Function<NDList, NDList> predict);

    /** The trained model as a weights file, with {@code meta} added to its header. */
    Weights weights(Map<String, float[]> values, Map<String, int[]> shapes, Map<String, Object> meta);
}
