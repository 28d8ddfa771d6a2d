package yardstick.magics.finetune.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** System metrics under MLflow's names: GPU values from a fake nvidia-smi, CPU and memory from this machine's /proc. */
class SystemMetricsTest {
    @TempDir
    Path tmp;

    record Logged(String key, double value, long step, long timestampMs) {}

    private FakeNvidiaSmi threeGpus() throws Exception {
        return FakeNvidiaSmi.in(tmp).gpu(0, "NVIDIA A100-SXM4-40GB", 100, 40960, 0).gpu(1, "NVIDIA A100-SXM4-40GB", 30720, 40960, 87)
                .gpu(2, "NVIDIA A100-SXM4-40GB", 5, 40960, 3);
    }

    @Test
    void aSampleHasMlflowsNamesForTheJobsGpusOnly() throws Exception {
        Gpus gpus = Gpus.using(threeGpus().path(), Duration.ofSeconds(5));
        SystemMetrics m = new SystemMetrics(gpus, List.of(1, 2), Duration.ofSeconds(10), (k, v, s, t) -> {});
        Map<String, Double> v = m.sample();
        assertEquals(Set.of("system/cpu_utilization_percentage", "system/system_memory_usage_megabytes",
                "system/system_memory_usage_percentage", "system/gpu_1_utilization_percentage",
                "system/gpu_1_memory_usage_megabytes", "system/gpu_1_memory_usage_percentage",
                "system/gpu_2_utilization_percentage", "system/gpu_2_memory_usage_megabytes",
                "system/gpu_2_memory_usage_percentage"), v.keySet());
        assertEquals(87.0, v.get("system/gpu_1_utilization_percentage"));
        assertEquals(75.0, v.get("system/gpu_1_memory_usage_percentage"));
        // MLflow's megabytes are 10^6 bytes: 30720 MiB = 32212.3 MB.
        assertEquals(32212.3, v.get("system/gpu_1_memory_usage_megabytes"));
        assertEquals(5.2, v.get("system/gpu_2_memory_usage_megabytes"));
        assertEquals(3.0, v.get("system/gpu_2_utilization_percentage"));
    }

    @Test
    void cpuAndMemoryComeFromProcAsPsutilReadsThem() throws Exception {
        SystemMetrics m = new SystemMetrics(Gpus.onPath(tmp.toString()), List.of(), Duration.ofSeconds(10), (k, v, s, t) -> {});
        // Keep a core busy between the readings so that the CPU share is above zero.
        long end = System.nanoTime() + 200_000_000L;
        long x = 0;
        while (System.nanoTime() < end) x += x * 31 + 7;
        Map<String, Double> v = m.sample();
        assertEquals(Set.of(SystemMetrics.CPU, SystemMetrics.MEMORY_MB, SystemMetrics.MEMORY_PERCENT), v.keySet(), "x=" + x);
        double cpu = v.get(SystemMetrics.CPU);
        assertTrue(cpu > 0 && cpu <= 100, "cpu " + cpu);
        long totalKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
        double mb = v.get(SystemMetrics.MEMORY_MB), pct = v.get(SystemMetrics.MEMORY_PERCENT);
        assertTrue(mb > 0 && mb < totalKb * 1024 / 1e6, "memory " + mb + " MB");
        assertEquals(mb * 1e6 / (totalKb * 1024) * 100, pct, 0.2);
    }

    @Test
    void psutilsFormulasOnKnownInput() throws Exception {
        HostStats.CpuTimes a = HostStats.parseCpu("cpu  100 0 50 800 50 0 0 0 0 0");
        HostStats.CpuTimes b = HostStats.parseCpu("cpu  400 0 150 1100 150 0 0 0 20 0");
        // busy +400 (user 300 + system 100; guest 20 is inside user) of total +800 (idle 300, iowait 100).
        assertEquals(50.0, HostStats.cpuPercent(a, b));
        HostStats.Memory m = HostStats.parseMemory(List.of("MemTotal: 1000 kB", "MemFree: 300 kB", "Buffers: 50 kB",
                "Cached: 100 kB", "SReclaimable: 50 kB"));
        assertEquals(new HostStats.Memory(500 * 1024, 1000 * 1024), m);
    }

    @Test
    void startedItDeliversNumberedStepsUntilStopped() throws Exception {
        FakeNvidiaSmi smi = threeGpus();
        List<Logged> logged = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch three = new CountDownLatch(3 * 6);
        SystemMetrics m = new SystemMetrics(Gpus.using(smi.path(), Duration.ofSeconds(5)), List.of(0), Duration.ofMillis(50),
                (k, v, s, t) -> {
                    logged.add(new Logged(k, v, s, t));
                    three.countDown();
                    if (k.endsWith("gpu_0_utilization_percentage") && s == 0) smi.load(0, 100, 55);
                });
        m.start();
        assertTrue(three.await(60, TimeUnit.SECONDS), "3 samples of 6 values: " + logged);
        m.stop();
        int after = logged.size();
        List<Logged> util = logged.stream().filter(l -> l.key().equals("system/gpu_0_utilization_percentage")).toList();
        assertEquals(0, util.get(0).step());
        assertEquals(0.0, util.get(0).value());
        assertEquals(1, util.get(1).step());
        assertEquals(55.0, util.get(1).value());
        assertEquals(2, util.get(2).step());
        assertTrue(util.get(1).timestampMs() >= util.get(0).timestampMs());
        Thread.sleep(200);
        assertEquals(after, logged.size(), "nothing is logged after stop");
    }

    @Test
    void aFailingSinkOrNvidiaSmiNeverStopsTheSampling() throws Exception {
        FakeNvidiaSmi smi = threeGpus().fail("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.");
        List<Logged> logged = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch twoSteps = new CountDownLatch(2);
        try (SystemMetrics m = new SystemMetrics(Gpus.using(smi.path(), Duration.ofSeconds(5)), List.of(0), Duration.ofMillis(50),
                (k, v, s, t) -> {
                    logged.add(new Logged(k, v, s, t));
                    if (k.equals(SystemMetrics.CPU)) twoSteps.countDown();
                    throw new IllegalStateException("the tracker is down");
                }).start()) {
            assertTrue(twoSteps.await(60, TimeUnit.SECONDS));
        }
        assertFalse(logged.stream().anyMatch(l -> l.key().contains("gpu")), "no GPU values without nvidia-smi");
        assertTrue(logged.stream().anyMatch(l -> l.key().equals(SystemMetrics.CPU) && l.step() == 1));
    }

    @Test
    void mlflowsIntervalVariableIsHonoured() {
        assertEquals(Duration.ofSeconds(10), SystemMetrics.interval(null));
        assertEquals(Duration.ofMillis(2500), SystemMetrics.interval("2.5"));
        assertEquals(Duration.ofSeconds(10), SystemMetrics.interval("often"));
    }
}
