package yardstick.magics.finetune.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.kernel.Session;
import yardstick.kernel.comm.CommManager;
import yardstick.kernel.display.MimeBundle;
import yardstick.kernel.eval.Outcome;
import yardstick.kernel.magic.Environment;
import yardstick.kernel.output.OutputSink;
import yardstick.magics.finetune.Finetune;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobRegistry;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.job.JobState;
import yardstick.magics.finetune.train.TrainerMain;

/**
 * The Slurm backend against a real one-node cluster ({@link LocalSlurm}) started for this class: jobs go through
 * sbatch, their state comes from squeue and sacct, their log is Slurm's output file, scancel stops them.
 */
class SlurmBackendTest {
    static final Path DJL_CACHE = Path.of("target", "djl-cache").toAbsolutePath();
    static LocalSlurm slurm;
    @TempDir static Path tmp;

    @BeforeAll
    static void startCluster() throws Exception {
        slurm = LocalSlurm.start();
    }

    @AfterAll
    static void stopCluster() {
        if (slurm != null) slurm.close();
        System.clearProperty("yardstick.home");
    }

    private static Path text() throws IOException {
        return Files.writeString(tmp.resolve("cats.txt"), "the cat sat on the mat. ".repeat(300));
    }

    private static JobSpec tinyLm(Path data, int steps) {
        return JobSpec.of("lm", data.toString()).withModel(32, 32, 1, 2).withTraining(1, 3e-3, 8, steps, 10)
                .withPlacement("cpu", "slurm", 1);
    }

    /** Polls until the value is there: sacct's completion record is written just after the job leaves the queue. */
    private static <T> T eventually(Supplier<T> get, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            T v = get.get();
            if (v != null || System.nanoTime() > deadline) {
                assertNotNull(v, what);
                return v;
            }
            Thread.sleep(100);
        }
    }

    @Test
    void anLmJobRunsThroughSbatchToTheEnd() throws Exception {
        SlurmBackend backend = new SlurmBackend(DJL_CACHE, slurm.env());
        Finetune f = new Finetune(new JobRegistry(tmp.resolve("api-jobs")), Map.of("slurm", backend), () -> null);
        String id = f.launch(tinyLm(text(), 30));
        Path dir = f.registry().dir(id);
        JobRecord r = f.registry().get(id);
        assertEquals("slurm", r.backend());
        assertTrue(r.slurmId() != null && r.slurmId().matches("\\d+"), "slurm id " + r.slurmId());
        assertTrue(Files.readString(dir.resolve(SlurmBackend.SCRIPT)).contains("#SBATCH --output=" + dir.resolve("log.txt")));
        // The trainer JVM takes seconds to start: the job is still in the queue, under its name.
        String queued = backend.queueState(r);
        assertTrue(Set.of("PENDING", "CONFIGURING", "RUNNING").contains(queued), "queue state " + queued);
        assertTrue(slurm.command("squeue", "-h", "-o", "%i %j").contains(r.slurmId() + " yardstick-" + id));

        JobRecord end = f.await(id, Duration.ofMinutes(2));
        assertEquals(JobState.FINISHED, end.state(), () -> end.reason() + "\n" + f.logs(id, 30) + slurm.logs("slurmd"));
        assertEquals(null, backend.queueState(end), "the job has left the queue");
        assertEquals("COMPLETED", eventually(() -> backend.accountingState(end), "no accounting record"));
        long steps = Files.readAllLines(dir.resolve(TrainerMain.PROGRESS)).stream()
                .filter(l -> l.contains("\"loss\"") && !l.contains("\"event\"")).count();
        assertEquals(30, steps);
        // The log is Slurm's output file for the job, the trainer's words in it.
        String log = f.logs(id, 100);
        assertTrue(log.contains("job " + id + ": lm on ") && log.contains("done: "), log);
        assertTrue(Files.isRegularFile(f.result(id)));
    }

    @Test
    void theMagicLaunchesOnSlurmAndCancelMarksTheJobKilled() throws Exception {
        System.setProperty("yardstick.home", tmp.resolve("home").toString());
        Environment.shared().set("YARDSTICK_TRACKING", "off");
        Environment.shared().set("SLURM_CONF", slurm.conf().toString());
        Environment.shared().set("DJL_CACHE_DIR", DJL_CACHE.toString());
        text();
        Sink sink = new Sink();
        try (Session session = new Session(tmp, new CommManager((type, msg) -> {}))) {
            Outcome launched = session.execute("%finetune launch --task lm --data cats.txt --backend slurm --device cpu"
                    + " --steps 100000 --context 32 --dim 32 --layers 1 --heads 2 --batch 8", sink, "launch");
            assertTrue(launched.ok(), () -> String.valueOf(launched.error()));
            String id = (String) launched.value();
            Finetune f = Finetune.jobs();
            JobRecord r = f.registry().get(id);
            assertEquals("slurm", r.backend());
            SlurmBackend backend = new SlurmBackend(DJL_CACHE, slurm.env());

            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (f.progress(id).step() < 3) {
                assertTrue(System.nanoTime() < deadline, "no training step after 2 minutes:\n" + f.logs(id, 20));
                Thread.sleep(100);
            }
            assertEquals("RUNNING", backend.queueState(r));
            Outcome status = session.execute("%finetune status " + id, sink, "status");
            assertEquals("job " + id + ": RUNNING", status.value());

            long t0 = System.nanoTime();
            Outcome cancelled = session.execute("%finetune cancel " + id, sink, "cancel");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(cancelled.ok(), () -> String.valueOf(cancelled.error()));
            assertEquals("job " + id + ": KILLED (cancelled)", cancelled.value());
            assertTrue(seconds < 5, "cancel took " + seconds + " s");
            assertEquals(null, backend.queueState(r), "scancel took the job off the queue");
            assertEquals("CANCELLED", eventually(() -> backend.accountingState(r), "no accounting record"));
            Path dir = f.registry().dir(id);
            assertEquals(List.of(), trainersOn(dir), "the trainer is gone");

            Outcome logs = session.execute("%finetune logs " + id + " -n 50", sink, "logs");
            assertTrue(logs.ok());
            assertTrue(sink.out.toString().contains("job " + id + ": lm on "), sink.out.toString());
        } finally {
            Environment.shared().set("SLURM_CONF", "");
        }
    }

    @Test
    void aGpuJobAsksSlurmForGpus() {
        SlurmBackend backend = new SlurmBackend(DJL_CACHE, Map.of());
        Path dir = tmp.resolve("jobs/x");
        JobSpec spec = JobSpec.of("lm", "data.txt").withId("x");
        assertFalse(backend.script(spec.withPlacement("cpu", "slurm", 2), dir).contains("--gres"));
        String gpu = backend.script(spec.withPlacement("gpu", "slurm", 2), dir);
        assertTrue(gpu.contains("#SBATCH --gres=gpu:2\n"), gpu);
        assertTrue(gpu.contains("TrainerMain' '" + dir.toAbsolutePath() + "'\n"), gpu);
    }

    /** Trainer processes still running on a job folder. */
    private static List<Long> trainersOn(Path dir) {
        List<Long> out = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            String cmd = p.info().commandLine().orElse("");
            if (cmd.contains(TrainerMain.class.getName()) && cmd.contains(dir.toString())) out.add(p.pid());
        });
        return out;
    }

    static final class Sink implements OutputSink {
        final StringBuffer out = new StringBuffer();

        @Override public void stream(String name, String text) { out.append(text); }
        @Override public void display(MimeBundle b, String id, boolean update) {}
        @Override public void clearOutput(boolean wait) {}
        @Override public String input(String prompt, boolean password) { return ""; }
    }
}
