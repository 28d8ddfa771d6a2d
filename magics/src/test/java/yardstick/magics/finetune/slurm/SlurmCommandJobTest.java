package yardstick.magics.finetune.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import yardstick.magics.finetune.job.CommandJob;
import yardstick.magics.finetune.job.JobException;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.job.JobState;
import yardstick.magics.finetune.train.TrainerMain;

/**
 * Command jobs on a real one-node Slurm cluster ({@link LocalSlurm}): the batch script's variables reach the command,
 * srun gives each task its rank, the step's exit status lands in the job folder, scancel stops the job, and a cluster
 * whose controller is down is a plain error within sbatch's bound. Several nodes cannot run on one: that case is
 * checked on the script and on Slurm's refusal.
 */
class SlurmCommandJobTest {
    /** The MLflow variables a launch passes, a token with a quote in it among them. */
    static final Map<String, String> MLFLOW = Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:5005",
            "MLFLOW_EXPERIMENT_ID", "7", "MLFLOW_RUN_ID", "run-abc", "MLFLOW_TRACKING_TOKEN", "t0k'en\"x",
            "YARDSTICK_JOB_ID", "will-be-replaced");
    static LocalSlurm slurm;
    @TempDir static Path tmp;
    static int jobs;

    @BeforeAll
    static void startCluster() throws Exception {
        slurm = LocalSlurm.start();
    }

    @AfterAll
    static void stopCluster() {
        if (slurm != null) slurm.close();
    }

    private static SlurmBackend backend() {
        return new SlurmBackend(tmp.resolve("djl"), slurm.env());
    }

    /** A command job's folder with its spec written, as a launch leaves it for the backend. */
    private static Path jobDir(JobSpec spec) throws IOException {
        Path dir = tmp.resolve("jobs").resolve(spec.id());
        spec.write(dir.resolve(TrainerMain.SPEC));
        return dir;
    }

    private static JobSpec command(String line, Path workdir) throws IOException {
        String id = "j" + (++jobs);
        Files.createDirectories(workdir);
        return JobSpec.command(line, workdir.toString()).withId(id).withPlacement("auto", "slurm", -1);
    }

    private static Map<String, String> env(JobSpec spec) {
        Map<String, String> e = new HashMap<>(MLFLOW);
        e.put("YARDSTICK_JOB_ID", spec.id());
        return e;
    }

    private static JobRecord launch(SlurmBackend b, JobSpec spec) throws IOException {
        JobRecord r = b.launch(JobRecord.created(spec.id(), "slurm", JobState.RUNNING), jobDir(spec), env(spec));
        assertTrue(r.slurmId() != null && r.slurmId().matches("\\d+"), "slurm id " + r.slurmId());
        return r;
    }

    /** Waits until the job has left the queue and returns the status it recorded. */
    private static OptionalInt awaitEnd(SlurmBackend b, JobRecord r, Path dir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (b.alive(r)) {
            assertTrue(System.nanoTime() < deadline, () -> "the job is still in the queue after a minute\n" + log(dir)
                    + slurm.logs("slurmd"));
            Thread.sleep(100);
        }
        return CommandJob.exitCode(dir);
    }

    /** Accounting's record is written just after the job leaves the queue: polls for it a while. */
    private static <T> T recorded(Supplier<T> get) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T v = get.get();
        while (v == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
            v = get.get();
        }
        return v;
    }

    private static String log(Path dir) {
        try {
            Path f = dir.resolve("log.txt");
            return Files.isRegularFile(f) ? Files.readString(f) : "(no log)";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The variables a command saw, from {@code env -0}: values may hold newlines. */
    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\0")) {
            int eq = kv.indexOf('=');
            if (eq > 0) out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }

    @Test
    void theCommandSeesMlflowsVariablesItsOwnAndWhereItsTasksMeet() throws Exception {
        SlurmBackend b = backend();
        Path work = tmp.resolve("work a b");
        String tricky = "it's a \"quoted\" value with $HOME, `backticks`, \\ and\na second line";
        JobSpec spec = command("env -0 > seen.env", work);
        spec = spec.withCommand(spec.command().withEnv(Map.of("GREETING", tricky, "EMPTY", "")));
        JobRecord r = launch(b, spec);
        Path dir = tmp.resolve("jobs").resolve(spec.id());

        assertEquals(OptionalInt.of(0), awaitEnd(b, r, dir), () -> log(dir));
        Map<String, String> seen = readEnv(work.resolve("seen.env"));
        for (Map.Entry<String, String> e : MLFLOW.entrySet()) {
            if (!e.getKey().equals("YARDSTICK_JOB_ID")) assertEquals(e.getValue(), seen.get(e.getKey()), e.getKey());
        }
        assertEquals(spec.id(), seen.get("YARDSTICK_JOB_ID"));
        assertEquals(tricky, seen.get("GREETING"));
        assertEquals("", seen.get("EMPTY"));
        assertEquals(work.toString(), seen.get("PWD"), "--chdir is the job's workdir");
        assertEquals("0", seen.get("RANK"));
        assertEquals("0", seen.get("LOCAL_RANK"));
        assertEquals("0", seen.get("NODE_RANK"));
        assertEquals("1", seen.get("WORLD_SIZE"));
        assertEquals("1", seen.get("NNODES"));
        assertEquals("localhost", seen.get("MASTER_ADDR"), "the first host of the allocation");
        assertEquals(String.valueOf(15000 + Long.parseLong(r.slurmId()) % 15000), seen.get("MASTER_PORT"));
        assertEquals("COMPLETED", recorded(() -> b.accountingState(r)));
        assertEquals(OptionalInt.of(0), b.accountingExitCode(r));
        // The script holds MLflow's token: its owner alone may read it.
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(SlurmBackend.SCRIPT))));
        assertFalse(Files.exists(dir.resolve(CommandJob.EXIT_FILE + ".tmp")), "the status was moved into place");
    }

    @Test
    void twoTasksOnTheNodeGetRanksZeroAndOne() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the test node has one CPU: two tasks cannot run");
        SlurmBackend b = backend();
        Path work = tmp.resolve("ranks");
        JobSpec spec = command("echo \"$RANK $LOCAL_RANK $NODE_RANK $WORLD_SIZE $LOCAL_WORLD_SIZE $MASTER_PORT\""
                + " > rank-$RANK.txt", work);
        spec = spec.withCommand(spec.command().withNodes(1, 2).withEnv(Map.of("MASTER_PORT", "23456")));
        JobRecord r = launch(b, spec);
        Path dir = tmp.resolve("jobs").resolve(spec.id());
        assertTrue(Files.readString(dir.resolve(SlurmBackend.SCRIPT)).contains("#SBATCH --ntasks-per-node=2\n"));

        assertEquals(OptionalInt.of(0), awaitEnd(b, r, dir), () -> log(dir));
        try (var files = Files.list(work)) {
            assertEquals(List.of("rank-0.txt", "rank-1.txt"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        // The job's own MASTER_PORT wins over the one derived from the job id.
        assertEquals("0 0 0 2 2 23456", Files.readString(work.resolve("rank-0.txt")).strip());
        assertEquals("1 1 0 2 2 23456", Files.readString(work.resolve("rank-1.txt")).strip());
    }

    @Test
    void theStepsExitStatusIsRecorded() throws Exception {
        SlurmBackend b = backend();
        JobSpec spec = command("echo about to fail; exit 3", tmp.resolve("fails"));
        JobRecord r = launch(b, spec);
        Path dir = tmp.resolve("jobs").resolve(spec.id());

        assertEquals(OptionalInt.of(3), awaitEnd(b, r, dir), () -> log(dir));
        assertEquals("3\n", Files.readString(dir.resolve(CommandJob.EXIT_FILE)));
        assertTrue(log(dir).contains("about to fail"), log(dir));
        assertEquals("FAILED", recorded(() -> b.accountingState(r)));
        assertEquals(OptionalInt.of(3), b.accountingExitCode(r), "accounting holds the step's status too");
    }

    @Test
    void cancelStopsTheWholeAllocationAndLeavesNoStatus() throws Exception {
        SlurmBackend b = backend();
        // A length no other process on the machine is likely to sleep, to find this one by.
        String seconds60 = "60." + (100 + System.nanoTime() % 900);
        JobSpec spec = command("echo started; sleep " + seconds60 + "; echo never", tmp.resolve("sleeper"));
        JobRecord r = launch(b, spec);
        Path dir = tmp.resolve("jobs").resolve(spec.id());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (sleepers(seconds60).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, () -> "the command did not start\n" + log(dir));
            Thread.sleep(100);
        }
        assertEquals("RUNNING", b.queueState(r));

        long t0 = System.nanoTime();
        b.cancel(r);
        double took = (System.nanoTime() - t0) / 1e9;
        System.out.printf("cancel of a running command job: %.2f s%n", took);
        assertTrue(took < 5, "cancel took " + took + " s");
        assertEquals(null, b.queueState(r), "the job has left the queue");
        assertEquals(List.of(), sleepers(seconds60), "the command is gone");
        assertEquals(OptionalInt.empty(), CommandJob.exitCode(dir), "a cancelled job records no status");
        assertFalse(log(dir).contains("never"));
        assertEquals("CANCELLED", recorded(() -> b.accountingState(r)));
        assertEquals(OptionalInt.empty(), b.accountingExitCode(r), "nor does accounting give a cancelled job one");
    }

    /** The {@code sleep} processes sleeping this many seconds. */
    private static List<Long> sleepers(String seconds) {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("/sleep")
                && List.of(seconds).equals(List.of(p.info().arguments().orElse(new String[0])))).map(ProcessHandle::pid).toList();
    }

    @Test
    void aClusterWhoseControllerIsDownIsAPlainError() throws Exception {
        // Slurm's default MessageTimeout: sbatch gives up by itself after 9 s of retries, and says why.
        Path down = slurm.confWithoutController(10);
        JobException e = submitTo(down);
        assertTrue(e.getMessage().startsWith("Slurm's controller "), e.getMessage());
        assertTrue(e.getMessage().contains("is slurmctld running? SLURM_CONF=" + down), e.getMessage());
    }

    @Test
    void aControllerThatStaysSilentIsGivenUpOnAtTheBound() throws Exception {
        // A cluster that lets sbatch retry for 30 s: the backend stops waiting after SUBMIT_LIMIT.
        Path down = slurm.confWithoutController(30);
        JobException e = submitTo(down);
        String expected = "Slurm's controller did not answer sbatch within " + SlurmBackend.SUBMIT_LIMIT.toSeconds()
                + " s: is slurmctld running? SLURM_CONF=" + down + "; if it queues the job after all, it is named yardstick-j";
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    private static JobException submitTo(Path conf) throws IOException {
        SlurmBackend b = new SlurmBackend(tmp.resolve("djl"), Map.of("SLURM_CONF", conf.toString()));
        JobSpec spec = command("true", tmp.resolve("down"));
        Path dir = jobDir(spec);
        long t0 = System.nanoTime();
        JobException e = assertThrows(JobException.class,
                () -> b.launch(JobRecord.created(spec.id(), "slurm", JobState.RUNNING), dir, env(spec)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("sbatch against a stopped controller: %.1f s: %s%n", seconds, e.getMessage());
        // SUBMIT_LIMIT, and a little for the machine being busy.
        assertTrue(seconds < SlurmBackend.SUBMIT_LIMIT.toSeconds() + 5, "it took " + seconds + " s");
        return e;
    }

    @Test
    void gpusPerNodeBecomeAGresRequestThatSlurmChecks() throws Exception {
        SlurmBackend b = backend();
        JobSpec spec = command("nvidia-smi", tmp.resolve("gpu"));
        Path dir = tmp.resolve("jobs").resolve(spec.id());
        assertFalse(b.commandScript(spec, dir, Map.of()).contains("--gres"), "auto on a CPU cluster asks for none");
        assertFalse(b.commandScript(spec.withPlacement("cpu", "slurm", 2), dir, Map.of()).contains("--gres"));
        assertTrue(b.commandScript(spec.withPlacement("gpu", "slurm", -1), dir, Map.of()).contains("#SBATCH --gres=gpu:1\n"));
        JobSpec one = spec.withPlacement("auto", "slurm", 1);
        assertTrue(b.commandScript(one, dir, Map.of()).contains("#SBATCH --gres=gpu:1\n"));

        // The test node has no GPUs: Slurm itself reads the request and turns it down, and says so.
        JobException e = assertThrows(JobException.class, () -> launch(b, one));
        assertTrue(e.getMessage().startsWith("sbatch refused the job: ") && e.getMessage().contains("gres"), e.getMessage());
    }

    @Test
    void severalNodesAreOneAllocationWithTasksOnEach() throws Exception {
        SlurmBackend b = backend();
        JobSpec spec = command("torchrun --nnodes=$NNODES --node_rank=$NODE_RANK train.py", tmp.resolve("multi"));
        spec = spec.withCommand(spec.command().withNodes(2, 4)).withPlacement("gpu", "slurm", 4);
        Path dir = tmp.resolve("jobs").resolve(spec.id());
        String script = b.commandScript(spec, dir, env(spec));
        for (String line : List.of("#SBATCH --nodes=2\n", "#SBATCH --ntasks-per-node=4\n", "#SBATCH --gres=gpu:4\n",
                "export WORLD_SIZE=\"$SLURM_NTASKS\"\n", "export NNODES=\"$SLURM_JOB_NUM_NODES\"\n",
                "MASTER_ADDR=\"$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\"\n",
                "srun --kill-on-bad-exit=1 bash -c 'export RANK=\"$SLURM_PROCID\" LOCAL_RANK=\"$SLURM_LOCALID\""
                        + " NODE_RANK=\"$SLURM_NODEID\"; exec bash -c \"$1\"' yardstick-task"
                        + " 'torchrun --nnodes=$NNODES --node_rank=$NODE_RANK train.py'\n")) {
            assertTrue(script.contains(line), () -> "no " + line + "in\n" + script);
        }

        // One node cannot hold two: Slurm queues the job, waiting for a second node, and a cancel takes it off.
        JobSpec two = spec.withPlacement("cpu", "slurm", 0).withCommand(spec.command().withNodes(2, 1));
        JobRecord r = launch(b, two);
        Path twoDir = tmp.resolve("jobs").resolve(two.id());
        assertEquals("PENDING", b.queueState(r));
        assertEquals("2", slurm.command("squeue", "-h", "-j", r.slurmId(), "-o", "%D").strip(), "nodes asked for");
        b.cancel(r);
        assertEquals(null, b.queueState(r));
        assertEquals(OptionalInt.empty(), CommandJob.exitCode(twoDir));
    }

    @Test
    void anEnvNameTheShellCannotTakeIsRefusedBeforeAnythingIsQueued() throws Exception {
        JobSpec spec = command("true", tmp.resolve("badenv"));
        JobSpec bad = spec.withCommand(spec.command().withEnv(Map.of("NOT-A-NAME", "x")));
        JobException e = assertThrows(JobException.class, () -> backend().commandScript(bad, tmp, Map.of()));
        assertEquals("--env NOT-A-NAME: not a variable name", e.getMessage());
    }

    @Test
    void aScriptReadsAsItRuns() throws Exception {
        JobSpec spec = JobSpec.command("python train.py --lr 3e-4", "/data/work").withId("j0")
                .withPlacement("auto", "slurm", -1);
        spec = spec.withCommand(spec.command().withEnv(Map.of("HF_HOME", "/data/hf")));
        String script = backend().commandScript(spec, Path.of("/data/jobs/j1"), Map.of("MLFLOW_RUN_ID", "abc"));
        System.out.println(script);
        assertTrue(script.startsWith("#!/bin/bash\n#SBATCH --job-name=yardstick-" + spec.id() + "\n"
                + "#SBATCH --output=/data/jobs/j1/log.txt\n#SBATCH --open-mode=append\n#SBATCH --chdir=/data/work\n"), script);
        assertTrue(script.contains("export MLFLOW_RUN_ID='abc'\nexport HF_HOME='/data/hf'\n"), script);
        assertTrue(script.endsWith("c=$?\nprintf '%d\\n' \"$c\" > '/data/jobs/j1/exit_code.tmp' && mv -f"
                + " '/data/jobs/j1/exit_code.tmp' '/data/jobs/j1/exit_code'\nexit \"$c\"\n"), script);
    }
}
