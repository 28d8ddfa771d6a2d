package yardstick.magics.finetune.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** %gpus over a fake nvidia-smi, with holders from a real scheduler's ledger. */
class GpusMagicTest {
    @TempDir
    Path tmp;

    private static MagicCall call(String args) {
        return new MagicCall("gpus", args, null, null);
    }

    @Test
    void showsEachGpuWithItsMemoryLoadHolderAndProcesses() throws Exception {
        FakeNvidiaSmi smi = FakeNvidiaSmi.in(tmp.resolve("smi")).gpu(0, "NVIDIA H100 80GB HBM3", 40213, 81559, 97)
                .gpu(1, "NVIDIA H100 80GB HBM3", 4, 81559, 0).app(0, 4242, 40200);
        Gpus gpus = Gpus.using(smi.path(), Duration.ofSeconds(5));
        Path jobs = tmp.resolve("jobs");
        new GpuScheduler(gpus.list(), jobs, id -> true).tryAcquire("ft-20260101-120000-a1b2", 1);

        Object out = new GpusMagic(() -> gpus, () -> GpuScheduler.recordedHolders(jobs)).run(call(""));
        Table t = assertInstanceOf(Table.class, out);
        assertEquals(List.of("index", "name", "memory used (MiB)", "memory total (MiB)", "utilization %", "job", "processes"),
                t.columnNames());
        assertEquals(2, t.rowCount());
        assertEquals(0, t.intColumn("index").get(0));
        assertEquals("NVIDIA H100 80GB HBM3", t.stringColumn("name").get(1));
        assertEquals(40213L, t.longColumn("memory used (MiB)").get(0));
        assertEquals(81559L, t.longColumn("memory total (MiB)").get(1));
        assertEquals(97, t.intColumn("utilization %").get(0));
        assertEquals("ft-20260101-120000-a1b2", t.stringColumn("job").get(0));
        assertEquals("", t.stringColumn("job").get(1));
        assertEquals("4242 (40200 MiB)", t.stringColumn("processes").get(0));
    }

    @Test
    void withNoGpusItSaysWhy() throws Exception {
        Object out = new GpusMagic(() -> Gpus.onPath(tmp.toString()), Map::of).run(call(""));
        assertEquals("No GPUs found: nvidia-smi not found on PATH", out);
    }

    @Test
    void argumentsAreRefused() {
        MagicException e = assertThrows(MagicException.class, () -> new GpusMagic(() -> Gpus.onPath(tmp.toString()), Map::of)
                .run(call("--all")));
        assertEquals("%gpus takes no arguments, got '--all'", e.getMessage());
    }

    @Test
    void theKernelFindsIt() {
        assertTrue(ServiceLoader.load(Magic.class).stream().anyMatch(p -> p.type() == GpusMagic.class));
    }
}
