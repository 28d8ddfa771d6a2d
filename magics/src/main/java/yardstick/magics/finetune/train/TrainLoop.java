package yardstick.magics.finetune.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.llm.local.Weights;

/**
 * The training loop every task shares: DJL's {@link Trainer} with Adam and softmax cross-entropy, one progress line per
 * step, a checkpoint every N steps (the last two kept), evaluation after each epoch, and the result written as
 * {@code model.ysw}. A NaN loss ends the job with that reason.
 */
public final class TrainLoop {
    /** The files a job's folder holds. */
    public static final String RESULT = "model.ysw", CHECKPOINTS = "checkpoints";

    private final JobSpec spec;
    private final Path dir;
    private final ProgressLog log;

    public TrainLoop(JobSpec spec, Path dir, ProgressLog log) {
        this.spec = spec;
        this.dir = dir;
        this.log = log;
    }

    /** The device a spec asks for: {@code gpu} fails without one; {@code auto} takes one when there is one. */
    public static Device device(String wanted) {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if ("gpu".equals(wanted)) {
            if (gpus == 0) throw new JobException("--device gpu: PyTorch sees no GPU (the native library on the class path is "
                    + Engine.getEngine("PyTorch").getVersion() + ", CPU build, or no CUDA device is visible)");
            return Device.gpu();
        }
        return "cpu".equals(wanted) || gpus == 0 ? Device.cpu() : Device.gpu();
    }

    /**
     * Trains from step {@code first} (0, or a checkpoint's step when resuming) to the end and returns the result's
     * path. {@code start} holds initial weights (a base model or the checkpoint), null for a fresh initialization.
     */
    Path run(TrainTask task, Device device, Weights start, long first) throws IOException {
        long total = spec.maxSteps() > 0 ? spec.maxSteps() : (long) spec.epochs() * task.stepsPerEpoch();
        try (Model model = Model.newInstance("yardstick-" + spec.task(), device, "PyTorch")) {
            model.setBlock(task.block());
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) spec.lr())).build())
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(task.inputShape());
                Map<String, Parameter> params = parameters(task);
                if (start != null) load(params, start);
                log.write(log.event("start").put("steps", total).put("first_step", first).put("device", device.toString())
                        .put("parameters", count(params)).put("unit", task.unit()));
                long t0 = System.nanoTime(), last = t0;
                double ema = 0, loss = Double.NaN;
                for (long step = first + 1; step <= total; step++) {
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        NDList[] b = task.batch(m, step - 1);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray pred = trainer.forward(b[0]).head();
                            NDArray l = trainer.getLoss().evaluate(b[1], new NDList(flatten(pred)));
                            gc.backward(l);
                            loss = l.getFloat();
                        }
                        if (Double.isNaN(loss)) throw new NanLossException(step);
                        trainer.step();
                    }
                    long now = System.nanoTime();
                    double dt = (now - last) / 1e9;
                    last = now;
                    ema = step == first + 1 ? dt : 0.9 * ema + 0.1 * dt;
                    int epoch = (int) ((step - 1) / task.stepsPerEpoch()) + 1;
                    log.write(log.line().put("step", step).put("steps", total).put("epoch", epoch).put("loss", loss)
                            .put("throughput", task.samplesPerStep() / ema).put("unit", task.unit())
                            .put("eta_s", (total - step) * ema).put("elapsed_s", (now - t0) / 1e9));
                    boolean epochEnd = step % task.stepsPerEpoch() == 0 || step == total;
                    if (epochEnd) {
                        for (var e : task.evaluate(trainer.getManager(), x -> trainer.evaluate(x)).entrySet()) {
                            log.write(log.event("metric").put("step", step).put("key", e.getKey()).put("value", e.getValue()));
                        }
                    }
                    if (spec.checkpointEvery() > 0 && step % spec.checkpointEvery() == 0 && step < total) {
                        checkpoint(task, params, step, loss);
                    }
                }
                Path result = dir.resolve(RESULT);
                snapshot(task, params, total, loss).write(result, false);
                return result;
            }
        }
    }

    /** Logits {@code [b, t, v]} become {@code [b*t, v]} to meet labels {@code [b*t]}; 2-d outputs pass as they are. */
    private static NDArray flatten(NDArray pred) {
        long[] s = pred.getShape().getShape();
        return s.length == 3 ? pred.reshape(s[0] * s[1], s[2]) : pred;
    }

    private void checkpoint(TrainTask task, Map<String, Parameter> params, long step, double loss) throws IOException {
        Path folder = dir.resolve(CHECKPOINTS);
        Path file = folder.resolve(String.format("step-%09d.ysw", step));
        snapshot(task, params, step, loss).write(file, false);
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> all = s.filter(p -> p.getFileName().toString().matches("step-\\d+\\.ysw")).sorted().toList();
            for (int i = 0; i < all.size() - 2; i++) Files.deleteIfExists(all.get(i));
        }
        log.write(log.event("checkpoint").put("step", step).put("file", dir.relativize(file).toString()));
    }

    /** The newest checkpoint in a job's folder, or null. */
    public static Path latestCheckpoint(Path jobDir) throws IOException {
        Path folder = jobDir.resolve(CHECKPOINTS);
        if (!Files.isDirectory(folder)) return null;
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d+\\.ysw")).sorted().reduce((a, b) -> b).orElse(null);
        }
    }

    private Weights snapshot(TrainTask task, Map<String, Parameter> params, long step, double loss) {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            NDArray a = e.getValue().getArray();
            values.put(e.getKey(), a.toFloatArray());
            long[] s = a.getShape().getShape();
            int[] shape = new int[s.length];
            for (int i = 0; i < s.length; i++) shape[i] = (int) s[i];
            shapes.put(e.getKey(), shape);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("step", step);
        meta.put("loss", loss);
        meta.put("job", spec.id());
        return task.weights(values, shapes, meta);
    }

    private static Map<String, Parameter> parameters(TrainTask task) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (var p : task.block().getParameters()) m.put(p.getKey(), p.getValue());
        return m;
    }

    private static void load(Map<String, Parameter> params, Weights w) {
        for (var e : params.entrySet()) {
            long[] s = e.getValue().getArray().getShape().getShape();
            int[] shape = new int[s.length];
            for (int i = 0; i < s.length; i++) shape[i] = (int) s[i];
            e.getValue().getArray().set(w.get(e.getKey(), shape));
        }
    }

    private static long count(Map<String, Parameter> params) {
        long n = 0;
        for (Parameter p : params.values()) n += p.getArray().size();
        return n;
    }
}
