package yardstick.magics.finetune.gpu;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The GPUs found on this machine, in index order; when there are none, {@code reason} says why (no nvidia-smi on
 * the PATH, the driver not answering, output that could not be read), so that an error can say it.
 */
public record GpuList(List<Gpu> gpus, String reason) {
    public GpuList {
        gpus = List.copyOf(gpus);
    }

    public static GpuList none(String reason) {
        return new GpuList(List.of(), reason);
    }

    public boolean isEmpty() {
        return gpus.isEmpty();
    }

    public int size() {
        return gpus.size();
    }

    /** "none (nvidia-smi not found on PATH)", or "2: 0 NVIDIA H100 80GB HBM3, 1 NVIDIA H100 80GB HBM3". */
    public String describe() {
        if (gpus.isEmpty()) return "none" + (reason == null ? "" : " (" + reason + ")");
        return gpus.size() + ": " + gpus.stream().map(Gpu::label).collect(Collectors.joining(", "));
    }
}
