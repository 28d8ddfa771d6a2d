package yardstick.magics.finetune.gpu;

/**
 * One GPU as {@code nvidia-smi} reports it: its physical index, UUID, model name, memory in MiB and utilization in
 * percent over nvidia-smi's last sample period. A value nvidia-smi reports as {@code [N/A]} (utilization on a MIG
 * device, for one) is {@value #UNKNOWN}.
 */
public record Gpu(int index, String uuid, String name, long memoryUsedMib, long memoryTotalMib, int utilizationPercent) {
    public static final int UNKNOWN = -1;

    /** "0 NVIDIA H100 80GB HBM3": how error messages and tables name it. */
    public String label() {
        return index + " " + name;
    }
}
