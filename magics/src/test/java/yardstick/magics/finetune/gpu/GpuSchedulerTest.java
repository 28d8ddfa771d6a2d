package yardstick.magics.finetune.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local backend's GPU allocator over GPUs found by a fake nvidia-smi, with its ledger in a temporary jobs folder. */
class GpuSchedulerTest {
    @TempDir
    Path tmp;
    /** Jobs whose process has ended: the liveness check the integrator passes reads job records; here, this set. */
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final Predicate<String> alive = id -> !ended.contains(id);

    private GpuList twoGpus() throws Exception {
        FakeNvidiaSmi smi = FakeNvidiaSmi.in(tmp.resolve("smi")).gpu(0, "NVIDIA H100 80GB HBM3", 0, 81559, 0)
                .gpu(1, "NVIDIA H100 80GB HBM3", 0, 81559, 0);
        return Gpus.using(smi.path(), Duration.ofSeconds(5)).list();
    }

    private GpuScheduler scheduler(GpuList gpus) {
        return new GpuScheduler(gpus, tmp.resolve("jobs"), alive, Duration.ZERO, Duration.ofMinutes(10));
    }

    @Test
    void twoJobsRunAtOnceAndAThirdWaitsUntilOneReleases() throws Exception {
        GpuScheduler s = scheduler(twoGpus());
        assertEquals(Optional.of(List.of(0)), s.tryAcquire("job-a", 1));
        assertEquals(Optional.of(List.of(1)), s.tryAcquire("job-b", 1));
        assertEquals(Optional.empty(), s.tryAcquire("job-c", 1));
        assertEquals(List.of("job-c"), s.queue());
        assertEquals(Map.of(0, "job-a", 1, "job-b"), s.holders());

        CompletableFuture<List<Integer>> c = CompletableFuture.supplyAsync(() -> {
            try {
                return s.acquire("job-c", 1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        s.release("job-a");
        assertEquals(List.of(0), c.get(30, TimeUnit.SECONDS));
        assertEquals(Map.of(0, "job-c", 1, "job-b"), s.holders());
        assertEquals(List.of(), s.queue());
    }

    @Test
    void theLineIsFirstComeFirstServedEvenForASmallerLaterRequest() throws Exception {
        GpuScheduler s = scheduler(twoGpus());
        assertEquals(Optional.of(List.of(0)), s.tryAcquire("first", 1));
        assertEquals(Optional.empty(), s.tryAcquire("wants-two", 2));
        // One GPU is free, but the job ahead waits for two: the later one-GPU job does not overtake it.
        assertEquals(Optional.empty(), s.tryAcquire("wants-one", 1));
        assertEquals(List.of("wants-two", "wants-one"), s.queue());
        s.release("first");
        assertEquals(Optional.empty(), s.tryAcquire("wants-one", 1));
        assertEquals(Optional.of(List.of(0, 1)), s.tryAcquire("wants-two", 2));
        s.release("wants-two");
        assertEquals(Optional.of(List.of(0)), s.tryAcquire("wants-one", 1));
    }

    @Test
    void askingAgainReturnsWhatTheJobHolds() throws Exception {
        GpuScheduler s = scheduler(twoGpus());
        assertEquals(Optional.of(List.of(0, 1)), s.tryAcquire("job", 2));
        assertEquals(Optional.of(List.of(0, 1)), s.tryAcquire("job", 2));
        assertEquals(Map.of(0, "job", 1, "job"), s.holders());
    }

    @Test
    void moreGpusThanFoundFailsAtOnceNamingWhatWasFound() throws Exception {
        GpuException one = assertThrows(GpuException.class, () -> scheduler(twoGpus()).tryAcquire("job", 3));
        assertEquals("--gpus 3 asked for 3 GPUs; this machine has 2: 0 NVIDIA H100 80GB HBM3, 1 NVIDIA H100 80GB HBM3",
                one.getMessage());
        GpuScheduler none = scheduler(Gpus.onPath(tmp.toString()).list());
        GpuException e = assertThrows(GpuException.class, () -> none.acquire("job", 2));
        assertEquals("--gpus 2 asked for 2 GPUs; this machine has none (nvidia-smi not found on PATH)", e.getMessage());
        assertEquals(List.of(), scheduler(twoGpus()).queue(), "a request that can never be met does not wait in line");
    }

    @Test
    void holdingsSurviveANewSchedulerReadingTheFile() throws Exception {
        GpuList gpus = twoGpus();
        GpuScheduler before = scheduler(gpus);
        before.tryAcquire("job-a", 1);
        before.tryAcquire("job-b", 1);
        before.tryAcquire("job-c", 1);
        assertTrue(Files.isRegularFile(tmp.resolve("jobs").resolve(GpuScheduler.FILE)));

        GpuScheduler after = scheduler(gpus);
        assertEquals(Map.of(0, "job-a", 1, "job-b"), after.holders());
        assertEquals(List.of("job-c"), after.queue());
        assertEquals(Map.of(0, "job-a", 1, "job-b"), GpuScheduler.recordedHolders(tmp.resolve("jobs")));
        after.release("job-b");
        assertEquals(Optional.of(List.of(1)), after.tryAcquire("job-c", 1));
    }

    @Test
    void aHolderWhoseJobEndedLosesItsGpus() throws Exception {
        GpuScheduler s = scheduler(twoGpus());
        s.tryAcquire("job-a", 1);
        s.tryAcquire("job-b", 1);
        ended.add("job-a");
        assertEquals(Map.of(1, "job-b"), s.holders());
        assertEquals(Optional.of(List.of(0)), s.tryAcquire("job-c", 1));
    }

    @Test
    void aNewHolderKeepsItsGpusWhileItsProcessStarts() throws Exception {
        GpuScheduler s = new GpuScheduler(twoGpus(), tmp.resolve("jobs"), id -> false, Duration.ofMinutes(5), Duration.ofMinutes(5));
        s.tryAcquire("starting", 1);
        assertEquals(Map.of(0, "starting"), s.holders());
    }

    @Test
    void aWaiterNobodyAsksForLeavesTheLine() throws Exception {
        GpuList gpus = twoGpus();
        GpuScheduler patient = scheduler(gpus);
        patient.tryAcquire("job-a", 2);
        patient.tryAcquire("forgotten", 1);
        GpuScheduler strict = new GpuScheduler(gpus, tmp.resolve("jobs"), alive, Duration.ZERO, Duration.ZERO);
        assertEquals(List.of(), strict.queue());
        assertFalse(Files.readString(tmp.resolve("jobs").resolve(GpuScheduler.FILE)).contains("forgotten"));
    }

    @Test
    void anInterruptedWaitLeavesTheLine() throws Exception {
        GpuScheduler s = scheduler(twoGpus());
        s.tryAcquire("job-a", 2);
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                s.acquire("job-b", 1);
            } catch (InterruptedException expected) {
                // The test's point.
            }
        });
        while (!s.queue().contains("job-b")) Thread.sleep(20);
        waiter.interrupt();
        waiter.join();
        assertEquals(List.of(), s.queue());
    }

    @Test
    void anUnreadableLedgerIsReportedAndLeftAsItIs() throws Exception {
        Path file = Files.createDirectories(tmp.resolve("jobs")).resolve(GpuScheduler.FILE);
        Files.writeString(file, "{not json");
        GpuException e = assertThrows(GpuException.class, () -> scheduler(twoGpus()).tryAcquire("job", 1));
        assertTrue(e.getMessage().startsWith("cannot read the GPU holdings in " + file.toAbsolutePath() + " (fix or delete it)"),
                e.getMessage());
        assertEquals("{not json", Files.readString(file));
    }

    @Test
    void cudaVisibleDevicesListsThePhysicalIndices() {
        assertEquals("0,2", GpuScheduler.cudaVisibleDevices(List.of(0, 2)));
        assertEquals("3", GpuScheduler.cudaVisibleDevices(List.of(3)));
    }
}
