package yardstick.magics.finetune.gpu;

/** A process with a CUDA context on a GPU, from {@code nvidia-smi --query-compute-apps}. */
public record GpuProcess(String gpuUuid, long pid, long usedMemoryMib) {}
