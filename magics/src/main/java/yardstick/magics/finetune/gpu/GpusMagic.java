package yardstick.magics.finetune.gpu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;
import yardstick.magics.YardstickHome;

/** {@code %gpus}: this machine's GPUs, their memory and load now, and which fine-tune job holds each. */
public final class GpusMagic implements Magic {
    private final Supplier<Gpus> gpus;
    private final Supplier<Map<Integer, String>> holders;

    /** nvidia-smi from the notebook's PATH; holders as {@code YARDSTICK_HOME/jobs/gpus.json} records them. */
    public GpusMagic() {
        this(Gpus::onPath, () -> GpuScheduler.recordedHolders(YardstickHome.resolve().resolve("jobs")));
    }

    /**
     * @param holders which job holds each GPU, by index (the scheduler's {@link GpuScheduler#holders})
     */
    public GpusMagic(Supplier<Gpus> gpus, Supplier<Map<Integer, String>> holders) {
        this.gpus = gpus;
        this.holders = holders;
    }

    @Override
    public String name() {
        return "gpus";
    }

    @Override
    public String usage() {
        return "%gpus";
    }

    @Override
    public String help() {
        return "Lists this machine's NVIDIA GPUs as nvidia-smi reports them now: index, name, memory used and total"
                + " (MiB), utilization (%), the fine-tune job that holds each (%finetune launch --gpus N hands out free"
                + " GPUs and queues a job until enough are free) and the processes using it. Says why when none are found.";
    }

    @Override
    public Object run(MagicCall call) throws MagicException {
        if (!call.words().isEmpty()) throw new MagicException("%gpus takes no arguments, got '" + call.rawArgs().strip() + "'");
        Gpus g = gpus.get();
        GpuList list = g.list();
        if (list.isEmpty()) return "No GPUs found: " + list.reason();
        return table(list, g.processes(), holders());
    }

    private Map<Integer, String> holders() {
        try {
            return holders.get();
        } catch (GpuException e) {
            // The listing is still worth showing; the holder column says why it is blank.
            System.err.println("Yardstick: " + e.getMessage());
            return Map.of();
        }
    }

    /** One row per GPU; unknown numbers (nvidia-smi's [N/A]) are missing values. */
    static Table table(GpuList list, List<GpuProcess> processes, Map<Integer, String> holders) {
        IntColumn index = IntColumn.create("index"), util = IntColumn.create("utilization %");
        StringColumn name = StringColumn.create("name"), job = StringColumn.create("job"), procs = StringColumn.create("processes");
        LongColumn used = LongColumn.create("memory used (MiB)"), total = LongColumn.create("memory total (MiB)");
        for (Gpu gpu : list.gpus()) {
            index.append(gpu.index());
            name.append(gpu.name());
            appendLong(used, gpu.memoryUsedMib());
            appendLong(total, gpu.memoryTotalMib());
            if (gpu.utilizationPercent() == Gpu.UNKNOWN) util.appendMissing();
            else util.append(gpu.utilizationPercent());
            job.append(holders.getOrDefault(gpu.index(), ""));
            List<String> ps = new ArrayList<>();
            for (GpuProcess p : processes) {
                if (p.gpuUuid().equals(gpu.uuid())) ps.add(p.pid() + (p.usedMemoryMib() == Gpu.UNKNOWN ? "" : " (" + p.usedMemoryMib() + " MiB)"));
            }
            procs.append(ps.stream().collect(Collectors.joining(", ")));
        }
        return Table.create("GPUs", index, name, used, total, util, job, procs);
    }

    private static void appendLong(LongColumn c, long v) {
        if (v == Gpu.UNKNOWN) c.appendMissing();
        else c.append(v);
    }
}
