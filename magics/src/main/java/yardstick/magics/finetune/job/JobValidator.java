package yardstick.magics.finetune.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import yardstick.magics.finetune.gpu.DjlJni;
import yardstick.magics.finetune.gpu.TorchInstall;
import yardstick.magics.finetune.train.TrainLoop;
import yardstick.magics.llm.local.BundledModel;

/**
 * Checks a job before it starts, so that a mistake costs a one-line message instead of a failed job: the task, the
 * numbers, the data file (present, readable, the right columns, not empty, two labels or more), the base model, and
 * a GPU when {@code --device gpu} asks for one: PyTorch's CUDA build on the class path, or an installed CUDA PyTorch
 * that DJL's JNI pairs with. Returns the spec with its base resolved to a file.
 */
public final class JobValidator {
    private final JobRegistry registry;

    public JobValidator(JobRegistry registry) {
        this.registry = registry;
    }

    public JobSpec validate(JobSpec s) {
        if (!"lm".equals(s.task()) && !"classify".equals(s.task())) {
            throw new JobException("unknown task '" + s.task() + "': use --task classify or --task lm");
        }
        if (s.data() == null) throw new JobException("--data FILE is required");
        if (s.epochs() < 1) throw new JobException("--epochs must be at least 1, not " + s.epochs());
        if (!(s.lr() > 0) || Double.isInfinite(s.lr())) throw new JobException("--lr must be a positive number, not " + s.lr());
        if (s.batch() < 1) throw new JobException("--batch must be at least 1, not " + s.batch());
        if (!Set.of("auto", "cpu", "gpu").contains(s.device())) {
            throw new JobException("--device must be auto, cpu or gpu, not '" + s.device() + "'");
        }
        if (!Set.of("local", "slurm").contains(s.backend())) {
            throw new JobException("--backend must be local or slurm, not '" + s.backend() + "'");
        }
        if ("gpu".equals(s.device()) && "local".equals(s.backend()) && !gpuAvailable()) {
            throw new JobException("--device gpu: no GPU here (" + gpuProblem() + "); use --device cpu, or --backend slurm"
                    + " for a cluster with GPUs");
        }
        Path data = Path.of(s.data()).toAbsolutePath().normalize();
        if (s.task().equals("lm")) {
            TrainingData.text(data, s.textColumn());
            return withData(s, data).withBase(lmBase(s.base()));
        }
        List<TrainingData.Row> rows = TrainingData.rows(data, s.textColumn(), s.labelColumn());
        Set<String> labels = new HashSet<>();
        for (TrainingData.Row r : rows) labels.add(r.label());
        if (labels.size() < 2) {
            throw new JobException(data + " has only the label " + labels + ": a classifier needs two labels or more");
        }
        String embedder = s.base() == null ? "minilm" : s.base();
        if (!embedder.equals("minilm") && !embedder.startsWith("dir:")) {
            throw new JobException("unknown base model '" + embedder + "' for classify: use minilm or dir:PATH (an ONNX"
                    + " sentence embedder)");
        }
        if (embedder.startsWith("dir:") && !Files.isRegularFile(Path.of(embedder.substring(4), "model.onnx"))) {
            throw new JobException("base model " + embedder + ": no model.onnx in that folder");
        }
        return withData(s, data).withBase(embedder);
    }

    /**
     * Checks a command job: the command's program, its folder, its data files (JSON lines parsed, the first bad line
     * named), the placement, and the GPUs it asks for against those {@code gpus} found; resolves {@code --gpus auto}
     * (-1) to one GPU where there is one and none elsewhere.
     */
    public JobSpec validateCommand(JobSpec s, GpuCount gpus) {
        CommandSpec c = s.command();
        if (!Set.of("local", "slurm").contains(s.backend())) {
            throw new JobException("--backend must be local, slurm or openai, not '" + s.backend() + "'");
        }
        Path dir = Path.of(c.workdir() == null ? "." : c.workdir()).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) throw new JobException("--workdir " + dir + " is not a folder");
        List<String> data = new java.util.ArrayList<>();
        for (String d : c.data()) {
            Path f = dir.resolve(d).normalize();
            if (!Files.isRegularFile(f)) throw new JobException("--data " + d + ": no such file (" + f + ")");
            if (!Files.isReadable(f)) throw new JobException("--data " + d + ": not readable (" + f + ")");
            if (f.getFileName().toString().endsWith(".jsonl")) TrainingData.checkJsonLines(f);
            data.add(f.toString());
        }
        for (String k : c.env().keySet()) {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new JobException("--env " + k + ": not a variable name");
        }
        if (c.nodes() > 1 && !s.backend().equals("slurm")) {
            throw new JobException("--nodes " + c.nodes() + " needs --backend slurm: the local backend runs on this machine");
        }
        if (s.maxSteps() < 0) throw new JobException("--max-steps must be 0 or more, not " + s.maxSteps());
        int n = s.gpus();
        if (s.backend().equals("local")) {
            int found = gpus.count();
            if (n < 0) n = Math.min(1, found);
            if (n > found) {
                throw new JobException("--gpus " + n + " asked for " + n + " GPU" + (n == 1 ? "" : "s") + "; this machine has "
                        + gpus.describe() + ": nothing was launched");
            }
            CommandJob.checkProgram(c.line(), dir, c.env());
        } else if (n < 0) {
            n = "gpu".equals(s.device()) ? 1 : 0;
        }
        return s.withCommand(c.withWorkdir(dir.toString()).withData(data)).withPlacement(s.device(), s.backend(), n);
    }

    /** What the validator needs to know of this machine's GPUs. */
    public interface GpuCount {
        int count();

        /** "none (nvidia-smi not found)", "1: 0 NVIDIA H100 80GB HBM3". */
        String describe();
    }

    private static JobSpec withData(JobSpec s, Path data) {
        return s.withData(data.toString());
    }

    /** {@code local} (the bundled model), a finished job's id, or a weights file; null trains a new model. */
    String lmBase(String base) {
        if (base == null || base.isBlank()) return null;
        if (base.equals(BundledModel.NAME)) return base;
        Path file = Path.of(base);
        if (Files.isRegularFile(file)) return file.toAbsolutePath().toString();
        if (base.matches("[A-Za-z0-9._-]{1,80}") && Files.isRegularFile(registry.dir(base).resolve(TrainLoop.RESULT))) {
            JobSpec other = registry.spec(base);
            if (!"lm".equals(other.task())) throw new JobException("base model " + base + " is a " + other.task() + " job, not a language model");
            return registry.dir(base).resolve(TrainLoop.RESULT).toString();
        }
        throw new JobException("unknown base model '" + base + "': use local (the bundled model), a finished lm job's id,"
                + " or a .ysw weights file");
    }

    /** A GPU for PyTorch: a CUDA build of the native library on the class path and a CUDA device. */
    public static boolean gpuAvailable() {
        return gpuProblem() == null;
    }

    static String gpuProblem() {
        String flavor = nativeFlavor();
        if (flavor != null && flavor.startsWith("cu")) {
            return ai.djl.util.cuda.CudaUtils.getGpuCount() == 0 ? "no CUDA device is visible" : null;
        }
        // Without PyTorch's CUDA build on the class path, an installed CUDA PyTorch that DJL's JNI pairs with will do.
        String installed = installedTorchProblem();
        if (installed == null) return null;
        return (flavor == null ? "no PyTorch native library on the class path" : "the PyTorch native library on the class"
                + " path is the " + flavor + " build") + ", and " + installed;
    }

    /** Why the installed PyTorch cannot run DJL on a GPU; null when it can. */
    private static String installedTorchProblem() {
        TorchInstall t = TorchInstall.find();
        if (!t.found()) return t.problem();
        if (!t.cudaAvailable()) return "the installed PyTorch " + t.version() + " (" + t.python() + ") sees no CUDA device";
        return DjlJni.onClassPath().mismatch(t).orElse(null);
    }

    /**
     * The environment that points DJL at an installed CUDA PyTorch (PYTORCH_LIBRARY_PATH, PYTORCH_VERSION,
     * PYTORCH_FLAVOR) when a job asks for a GPU and the class path has no CUDA build; empty otherwise.
     */
    public static Map<String, String> installedTorchFor(JobSpec s) {
        String flavor = nativeFlavor();
        if (!"gpu".equals(s.device()) || flavor != null && flavor.startsWith("cu")) return Map.of();
        return DjlJni.onClassPath().environment(TorchInstall.find());
    }

    private static String nativeFlavor() {
        try (InputStream in = JobValidator.class.getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
            if (in == null) return null;
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("flavor");
        } catch (IOException e) {
            return null;
        }
    }
}
