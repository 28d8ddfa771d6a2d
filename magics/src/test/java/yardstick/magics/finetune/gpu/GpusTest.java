package yardstick.magics.finetune.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection through a fake nvidia-smi that prints what the real one prints. */
class GpusTest {
    @TempDir
    Path tmp;

    @Test
    void readsEachGpuOfTheQuery() throws Exception {
        FakeNvidiaSmi smi = FakeNvidiaSmi.in(tmp).gpu(0, "NVIDIA H100 80GB HBM3", 4, 81559, 0)
                .gpu(1, "NVIDIA H100 80GB HBM3", 40213, 81559, 97);
        GpuList list = Gpus.onPath("/nonexistent:" + smi.bin()).list();
        assertEquals(List.of(new Gpu(0, FakeNvidiaSmi.uuid(0), "NVIDIA H100 80GB HBM3", 4, 81559, 0),
                new Gpu(1, FakeNvidiaSmi.uuid(1), "NVIDIA H100 80GB HBM3", 40213, 81559, 97)), list.gpus());
        assertEquals(null, list.reason());
        assertEquals("2: 0 NVIDIA H100 80GB HBM3, 1 NVIDIA H100 80GB HBM3", list.describe());
    }

    @Test
    void readsTheLineARealH200Printed() {
        // nvidia-smi's answer on an idle H200, recorded byte for byte.
        assertEquals(new Gpu(0, "GPU-5b02d074-f354-3d76-1cba-bbe583657031", "NVIDIA H200", 0, 143771, 0),
                Gpus.parseGpu("0, GPU-5b02d074-f354-3d76-1cba-bbe583657031, NVIDIA H200, 0, 143771, 0"));
    }

    @Test
    void anUnknownQueryFieldIsRefusedAsNvidiaSmiRefusesIt() throws Exception {
        FakeNvidiaSmi smi = FakeNvidiaSmi.in(tmp).gpu(0, "NVIDIA H200", 0, 143771, 0);
        BoundedCommand.Result r = BoundedCommand.run(List.of(smi.path().toString(), "--query-gpu=bogus",
                "--format=csv,noheader,nounits"), Duration.ofSeconds(5));
        assertEquals(2, r.exitCode());
        assertEquals("Field \"bogus\" is not a valid field to query.\n\n", r.stdout());
    }

    @Test
    void aNameWithACommaAndValuesNvidiaSmiCannotGiveAreRead() {
        assertEquals(new Gpu(3, "MIG-1", "Tesla, Rev. B", 10, 2048, Gpu.UNKNOWN),
                Gpus.parseGpu("3, MIG-1, Tesla, Rev. B, 10, 2048, [N/A]"));
        assertEquals(Gpu.UNKNOWN, Gpus.parseGpu("0, GPU-x, A100, [Not Supported], 40960, 5").memoryUsedMib());
    }

    @Test
    void noNvidiaSmiOnThePathMeansNoGpusAndSaysSo() {
        GpuList list = Gpus.onPath(tmp.toString()).list();
        assertTrue(list.isEmpty());
        assertEquals("none (nvidia-smi not found on PATH)", list.describe());
        assertEquals(List.of(), Gpus.onPath(tmp.toString()).processes());
    }

    @Test
    void aFailingNvidiaSmiMeansNoGpusWithItsMessage() throws Exception {
        FakeNvidiaSmi smi = FakeNvidiaSmi.in(tmp).gpu(0, "NVIDIA A10G", 0, 23028, 0)
                .fail("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.");
        GpuList list = Gpus.using(smi.path(), Duration.ofSeconds(5)).list();
        assertTrue(list.isEmpty());
        assertEquals("nvidia-smi failed (exit 9): NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
                list.reason());
    }

    @Test
    void aHungNvidiaSmiIsStoppedAndMeansNoGpus() throws Exception {
        FakeNvidiaSmi smi = FakeNvidiaSmi.in(tmp).gpu(0, "NVIDIA A10G", 0, 23028, 0).hang();
        GpuList list = Gpus.using(smi.path(), Duration.ofMillis(300)).list();
        assertTrue(list.isEmpty());
        assertEquals("nvidia-smi did not answer within 300 ms", list.reason());
    }

    @Test
    void anUnreadableLineIsNamedInTheReason() throws Exception {
        FakeNvidiaSmi smi = FakeNvidiaSmi.in(tmp).raw("0, GPU-a, A100, 1, 40960, 0\n1, GPU-b, A100, lots, 40960, 0\n");
        GpuList list = Gpus.using(smi.path(), Duration.ofSeconds(5)).list();
        assertEquals("cannot read nvidia-smi's line 2 '1, GPU-b, A100, lots, 40960, 0': memory.used 'lots' is not a number",
                list.reason());
    }

    @Test
    void listsTheProcessesOnEachGpu() throws Exception {
        FakeNvidiaSmi smi = FakeNvidiaSmi.in(tmp).gpu(0, "NVIDIA L4", 9000, 23034, 80).gpu(1, "NVIDIA L4", 0, 23034, 0)
                .app(0, 4242, 8990).app(0, 4243, 10);
        assertEquals(List.of(new GpuProcess(FakeNvidiaSmi.uuid(0), 4242, 8990), new GpuProcess(FakeNvidiaSmi.uuid(0), 4243, 10)),
                Gpus.using(smi.path(), Duration.ofSeconds(5)).processes());
    }
}
