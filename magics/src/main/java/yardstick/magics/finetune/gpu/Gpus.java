package yardstick.magics.finetune.gpu;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import yardstick.magics.YardstickHome;

/**
 * Finds this machine's NVIDIA GPUs by asking {@code nvidia-smi}, within a time limit. No nvidia-smi, one that fails
 * or one that hangs all mean no GPUs, with the reason kept for the error a person sees.
 */
public final class Gpus {
    static final String GPU_QUERY = "index,uuid,name,memory.used,memory.total,utilization.gpu";
    static final String APPS_QUERY = "gpu_uuid,pid,used_memory";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final Path nvidiaSmi;
    private final String missing;
    private final Duration timeout;

    private Gpus(Path nvidiaSmi, String missing, Duration timeout) {
        this.nvidiaSmi = nvidiaSmi;
        this.missing = missing;
        this.timeout = timeout;
    }

    /** Asks this {@code nvidia-smi} executable (a fake one in tests), giving it {@code timeout} per query. */
    public static Gpus using(Path nvidiaSmi, Duration timeout) {
        return new Gpus(nvidiaSmi, null, timeout);
    }

    /** Asks the {@code nvidia-smi} on the notebook's PATH, 5 s per query; none there means no GPUs. */
    public static Gpus onPath() {
        return onPath(YardstickHome.env("PATH"));
    }

    /** Asks the first {@code nvidia-smi} on {@code path} (a PATH value), 5 s per query. */
    public static Gpus onPath(String path) {
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) continue;
                Path p = Path.of(dir, "nvidia-smi");
                if (Files.isExecutable(p)) return new Gpus(p, null, TIMEOUT);
            }
        }
        return new Gpus(null, "nvidia-smi not found on PATH", TIMEOUT);
    }

    /** The GPUs now, in index order, with their memory and utilization; an empty list says why there are none. */
    public GpuList list() {
        if (nvidiaSmi == null) return GpuList.none(missing);
        List<String> lines;
        try {
            lines = query("--query-gpu=" + GPU_QUERY);
        } catch (IOException e) {
            return GpuList.none(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GpuList.none("interrupted while asking nvidia-smi");
        }
        List<Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                gpus.add(parseGpu(lines.get(i)));
            } catch (IllegalArgumentException e) {
                return GpuList.none("cannot read nvidia-smi's line " + (i + 1) + " '" + lines.get(i) + "': " + e.getMessage());
            }
        }
        return gpus.isEmpty() ? GpuList.none("nvidia-smi lists no GPUs") : new GpuList(gpus, null);
    }

    /**
     * The processes with a CUDA context on any GPU; empty when there are none or nvidia-smi cannot say. Inside a
     * container nvidia-smi sees only the container's own processes, often none at all.
     */
    public List<GpuProcess> processes() {
        if (nvidiaSmi == null) return List.of();
        List<GpuProcess> out = new ArrayList<>();
        try {
            for (String line : query("--query-compute-apps=" + APPS_QUERY)) {
                List<String> f = fields(line);
                if (f.size() != 3) continue;
                try {
                    out.add(new GpuProcess(f.get(0), Long.parseLong(f.get(1)), number(f.get(2), "used_memory")));
                } catch (IllegalArgumentException unreadable) {
                    // A process line we cannot read says nothing useful about who holds the GPU: leave it out.
                }
            }
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        return out;
    }

    private List<String> query(String query) throws IOException, InterruptedException {
        BoundedCommand.Result r;
        try {
            r = BoundedCommand.run(List.of(nvidiaSmi.toString(), query, "--format=csv,noheader,nounits"), timeout);
        } catch (IOException e) {
            throw new IOException(e.getMessage() == null ? "nvidia-smi did not run" : e.getMessage(), e);
        }
        if (r.exitCode() != 0) {
            throw new IOException("nvidia-smi failed (exit " + r.exitCode() + "): " + r.firstErrorLine());
        }
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /**
     * Reads one line of {@code --query-gpu=index,uuid,name,memory.used,memory.total,utilization.gpu
     * --format=csv,noheader,nounits}, e.g. {@code 0, GPU-5a1c…, NVIDIA H100 80GB HBM3, 4, 81559, 0}.
     */
    static Gpu parseGpu(String line) {
        List<String> f = fields(line);
        if (f.size() < 6) throw new IllegalArgumentException("expected 6 comma-separated fields, found " + f.size());
        int n = f.size();
        // Only the name may hold a comma: it is whatever lies between the UUID and the last three numbers.
        String name = String.join(", ", f.subList(2, n - 3));
        int index;
        try {
            index = Integer.parseInt(f.get(0));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("index '" + f.get(0) + "' is not a number");
        }
        return new Gpu(index, f.get(1), name, number(f.get(n - 3), "memory.used"), number(f.get(n - 2), "memory.total"),
                (int) number(f.get(n - 1), "utilization.gpu"));
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        for (String s : line.split(",", -1)) out.add(s.strip());
        return out;
    }

    /** A number, or {@link Gpu#UNKNOWN} for the bracketed words nvidia-smi prints when it has none ("[N/A]"). */
    private static long number(String v, String field) {
        if (v.startsWith("[") && v.endsWith("]")) return Gpu.UNKNOWN;
        try {
            return Math.round(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " '" + v + "' is not a number");
        }
    }

    @Override
    public String toString() {
        return nvidiaSmi == null ? "no nvidia-smi (" + missing + ")" : nvidiaSmi.toString();
    }
}
