package yardstick.bench.finetune;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import yardstick.kernel.bench.Bench;
import yardstick.kernel.cli.Install;
import yardstick.kernel.cli.KernelProcess;
import yardstick.kernel.cli.Paths;
import yardstick.kernel.protocol.Json;
import yardstick.kernel.protocol.KernelClient;
import yardstick.magics.finetune.Finetune;
import yardstick.magics.finetune.job.JobRecord;
import yardstick.magics.finetune.job.JobRegistry;
import yardstick.magics.finetune.job.JobSpec;
import yardstick.magics.finetune.job.JobState;
import yardstick.magics.finetune.job.LocalBackend;
import yardstick.magics.finetune.train.ByteWindows;
import yardstick.magics.finetune.train.TinyGpt;
import yardstick.magics.finetune.train.TrainerMain;
import yardstick.magics.llm.local.GptConfig;

/**
 * {@code yardstick bench finetune}: what the job machinery costs. (1) The trainer's throughput (a real job: child JVM,
 * progress lines, checkpoints, followed by a monitor) against a bare DJL loop (same JVM flags, model, batches,
 * optimizer and loss, no progress, no checkpoints), both in steady state after warm-up steps. (2) An empty cell's
 * round trip through a real kernel process while a job it launched trains beside it, and with no job for reference.
 */
public final class FinetuneBench implements Bench {
    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public String arguments() {
        return "[--steps N] [--warmup N] [--rounds N] [--cells N] [--batch N]";
    }

    @Override
    public String summary() {
        return "the trainer and a kernel beside a job";
    }

    @Override
    public int run(List<String> args) throws Exception {
        main(args.toArray(String[]::new));
        return 0;
    }

    static final String USAGE = "usage: yardstick bench finetune [--steps N] [--warmup N] [--rounds N] [--cells N] [--batch N]";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public FinetuneBench() {}  // a Bench service

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--bare-loop")) {
            bareLoop(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int steps = 150, warmup = 30, rounds = 2, cells = 200, batch = 16;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                System.err.println("yardstick bench finetune: " + a + " needs a number\n" + USAGE);
                return;
            }
            int v;
            try {
                v = Integer.parseInt(args[++i]);
            } catch (NumberFormatException e) {
                System.err.println("yardstick bench finetune: " + a + " needs a number, not '" + args[i] + "'\n" + USAGE);
                return;
            }
            switch (a) {
                case "--steps" -> steps = v;
                case "--warmup" -> warmup = v;
                case "--rounds" -> rounds = v;
                case "--cells" -> cells = v;
                case "--batch" -> batch = v;
                default -> {
                    System.err.println("yardstick bench finetune: unknown argument " + a + "\n" + USAGE);
                    return;
                }
            }
        }
        if (warmup < 1 || steps <= warmup + 10 || rounds < 0 || cells < 10 || batch < 1) {
            System.err.println("yardstick bench finetune: need --warmup >= 1, --steps > warmup + 10, --rounds >= 0 (0: round trips only), --cells >= 10, --batch >= 1");
            return;
        }
        Path work = Files.createTempDirectory("yardstick-bench-finetune");
        // The trainer unpacks PyTorch's native library once per cache: share the user's, as jobs from a notebook do.
        Path djl = Paths.home().resolve("cache").resolve("djl");
        try {
            Path data = Files.writeString(work.resolve("text.txt"), text(200_000));
            JobSpec spec = JobSpec.of("lm", data.toString()).withPlacement("cpu", "local", 1)
                    .withTraining(1, 1e-3, batch, steps, 50);
            System.out.printf(Locale.ROOT, "yardstick bench finetune: lm context %d, dim %d, %d layers, %d heads, batch %d;"
                    + " %d steps, the first %d not timed; %d rounds; %d CPUs, load average %s%n", spec.context(), spec.dim(),
                    spec.layers(), spec.heads(), spec.batch(), steps, warmup, rounds,
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            List<Double> trainer = new ArrayList<>(), bare = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                // Alternate which goes first, so that a change in the machine's load does not favour one side.
                double t, b;
                if (r % 2 == 1) {
                    t = trainerThroughput(spec, work.resolve("jobs"), djl, warmup);
                    b = bareThroughput(spec, work, djl, warmup);
                } else {
                    b = bareThroughput(spec, work, djl, warmup);
                    t = trainerThroughput(spec, work.resolve("jobs"), djl, warmup);
                }
                trainer.add(t);
                bare.add(b);
                System.out.printf(Locale.ROOT, "round %d: trainer %.0f tokens/s, bare loop %.0f tokens/s (%.1f%%)%n", r, t, b,
                        100 * t / b);
            }
            double[] idle = null, busy = null;
            String roundTrip = null;
            try {
                double[][] rt = roundTrips(data, work, djl, cells);
                idle = rt[0];
                busy = rt[1];
            } catch (Exception e) {
                roundTrip = "the kernel round trip was not measured: " + e;
            }
            double t = rounds == 0 ? Double.NaN : median(trainer), b = rounds == 0 ? Double.NaN : median(bare);
            String fmt = "%-44s %-10s %-14s %s%n";
            System.out.println();
            System.out.printf(Locale.ROOT, fmt, "metric", "target", "measured", "");
            System.out.printf(Locale.ROOT, fmt, "-".repeat(44), "-".repeat(10), "-".repeat(14), "-".repeat(4));
            if (rounds > 0) {
                System.out.printf(Locale.ROOT, fmt, "bare DJL loop (median, tokens/s)", "", String.format(Locale.ROOT, "%.0f", b), "");
                System.out.printf(Locale.ROOT, fmt, "trainer job (median, tokens/s)", "", String.format(Locale.ROOT, "%.0f", t), "");
                System.out.printf(Locale.ROOT, fmt, "trainer / bare loop", ">= 90%", String.format(Locale.ROOT, "%.1f%%", 100 * t / b),
                        t / b >= 0.9 ? "ok" : "MISS");
            }
            if (idle != null) {
                System.out.printf(Locale.ROOT, fmt, "empty cell, no job (p50 / p95)", "", ms(pct(idle, 50)) + " / " + ms(pct(idle, 95)), "");
                System.out.printf(Locale.ROOT, fmt, "empty cell while a job trains (p50)", "<= 100 ms", ms(pct(busy, 50)),
                        pct(busy, 50) <= 100 ? "ok" : "MISS");
                System.out.printf(Locale.ROOT, fmt, "empty cell while a job trains (p95 / max)", "", ms(pct(busy, 95)) + " / "
                        + ms(busy[busy.length - 1]), "");
            } else {
                System.out.println(roundTrip);
            }
            System.out.printf(Locale.ROOT, "machine: %d CPUs, load average %s; rounds, trainer %s, bare %s (tokens/s)%n",
                    Runtime.getRuntime().availableProcessors(), loadAverage(), trainer, bare);
        } finally {
            deleteTree(work);
        }
    }

    /** A real job through {@link Finetune}: its steady-state throughput from the trainer's own progress lines. */
    private static double trainerThroughput(JobSpec spec, Path jobs, Path djl, int warmup) throws IOException {
        Finetune f = new Finetune(new JobRegistry(jobs), Map.of("local", new LocalBackend(djl)), () -> null);
        String id = f.launch(spec);
        JobRecord r = f.await(id, Duration.ofMinutes(20));
        if (r.state() != JobState.FINISHED) throw new IllegalStateException("the trainer job " + r.state() + ": " + r.reason()
                + "\n" + f.logs(id, 20));
        double t0 = Double.NaN, t1 = Double.NaN;
        long s0 = 0, s1 = 0;
        for (String line : Files.readAllLines(f.registry().dir(id).resolve(TrainerMain.PROGRESS))) {
            JsonNode n = JSON.readTree(line);
            if (n.has("event") || !n.has("elapsed_s")) continue;
            long step = n.get("step").asLong();
            if (step == warmup) {
                s0 = step;
                t0 = n.get("elapsed_s").asDouble();
            }
            s1 = step;
            t1 = n.get("elapsed_s").asDouble();
        }
        return (s1 - s0) * (double) spec.batch() * spec.context() / (t1 - t0);
    }

    /** The bare loop in a child JVM started exactly as the trainer is, so that both pay the same JVM and threads. */
    private static double bareThroughput(JobSpec spec, Path work, Path djl, int warmup) throws Exception {
        List<String> cmd = new ArrayList<>(LocalBackend.command(work));
        cmd = new ArrayList<>(cmd.subList(0, cmd.size() - 2));
        cmd.add(FinetuneBench.class.getName());
        cmd.addAll(List.of("--bare-loop", spec.data(), "" + spec.context(), "" + spec.dim(), "" + spec.layers(),
                "" + spec.heads(), "" + spec.batch(), "" + spec.lr(), "" + spec.maxSteps(), "" + warmup, "" + spec.seed()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().put("DJL_CACHE_DIR", djl.toAbsolutePath().toString());
        pb.environment().put("DJL_OFFLINE", "true");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("the bare loop failed:\n" + out);
        for (String line : out.split("\n")) {
            if (line.startsWith("tokens_per_s=")) return Double.parseDouble(line.substring("tokens_per_s=".length()).strip());
        }
        throw new IllegalStateException("the bare loop printed no throughput:\n" + out);
    }

    /** The child side: DJL's trainer, Adam, softmax cross-entropy, the same random windows as the lm task. */
    private static void bareLoop(String[] a) throws IOException {
        byte[] text = Files.readString(Path.of(a[0])).getBytes(StandardCharsets.UTF_8);
        int context = Integer.parseInt(a[1]), batch = Integer.parseInt(a[5]), steps = Integer.parseInt(a[7]),
                warmup = Integer.parseInt(a[8]);
        double lr = Double.parseDouble(a[6]);
        long seed = Long.parseLong(a[9]);
        GptConfig config = new GptConfig(256, context, Integer.parseInt(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]));
        try (Model model = Model.newInstance("bare-lm", Device.cpu(), "PyTorch")) {
            model.setBlock(new TinyGpt(config));
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) lr)).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(new Shape(batch, context));
                long t0 = 0;
                for (int step = 1; step <= steps; step++) {
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        ByteWindows w = ByteWindows.draw(text, batch, context, seed, step - 1);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray pred = trainer.forward(new NDList(m.create(w.inputs(), new Shape(batch, context)))).head();
                            NDArray l = trainer.getLoss().evaluate(new NDList(m.create(w.targets(), new Shape((long) batch * context))),
                                    new NDList(pred.reshape((long) batch * context, 256)));
                            gc.backward(l);
                            l.getFloat(); // the trainer reads each step's loss too: the same synchronization point
                        }
                        trainer.step();
                    }
                    if (step == warmup) t0 = System.nanoTime();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.println("tokens_per_s=" + (steps - warmup) * (double) batch * context / seconds);
            }
        }
    }

    /**
     * Empty cells through a real kernel: first idle, then while a job launched from that kernel with {@code %finetune}
     * trains (timed once its progress shows training steps). Returns sorted milliseconds, idle and busy.
     */
    private static double[][] roundTrips(Path data, Path work, Path djl, int cells) throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        Map<String, String> env = Map.of("YARDSTICK_HOME", home.toString(), "YARDSTICK_TRACKING", "off",
                "DJL_CACHE_DIR", djl.toAbsolutePath().toString());
        try (KernelProcess k = KernelProcess.start("yardstick", Install.kernelCommand(), env, work)) {
            return roundTrips(k, data, home, cells);
        } finally {
            // The trainer is the kernel's child but outlives it: whatever went wrong, stop it.
            JobRegistry registry = new JobRegistry(home.resolve("jobs"));
            LocalBackend local = new LocalBackend(djl);
            for (JobRecord r : registry.list()) local.cancel(r);
        }
    }

    private static double[][] roundTrips(KernelProcess k, Path data, Path home, int cells) throws Exception {
        KernelClient c = k.client();
        k.shellReply(c.sendShell("kernel_info_request", Json.object()), TIMEOUT);
        k.awaitIOPub(TIMEOUT);
        double[] idle = emptyCells(c, cells);
        execute(c, "%finetune launch --task lm --data " + data + " --device cpu --steps 1000000 --name bench");
        Path jobs = home.resolve("jobs");
        Path progress = awaitSteps(jobs, 3);
        double[] busy = emptyCellsWhileTraining(c, cells, progress);
        String id = progress.getParent().getFileName().toString();
        execute(c, "%finetune cancel " + id);
        k.shutdown();
        return new double[][] {idle, busy};
    }

    private static Path awaitSteps(Path jobs, int steps) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(jobs)) {
                try (Stream<Path> s = Files.list(jobs)) {
                    for (Path d : s.toList()) {
                        Path p = d.resolve(TrainerMain.PROGRESS);
                        if (Files.isRegularFile(p) && stepLines(p) >= steps) return p;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the job launched from the kernel made no " + steps + " steps in 3 minutes");
    }

    private static long stepLines(Path progress) throws IOException {
        return Files.readAllLines(progress).stream().filter(l -> l.contains("\"loss\"") && !l.contains("\"event\"")).count();
    }

    /**
     * Empty cells, at least {@code n}, and on until the trainer has finished two more steps: every sample falls in a
     * stretch where the job was training (one step takes about a second on two CPUs, many cells fit in it).
     */
    private static double[] emptyCellsWhileTraining(KernelClient c, int n, Path progress) throws Exception {
        for (int i = 0; i < 10; i++) execute(c, "");
        long first = stepLines(progress);
        List<Double> ms = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (ms.size() < n || stepLines(progress) < first + 2) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the job stopped training while the cells ran");
            long t0 = System.nanoTime();
            execute(c, "");
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        return ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static void execute(KernelClient c, String code) throws Exception {
        KernelClient.Exchange x = c.request("execute_request", KernelProcess.execute(code), TIMEOUT);
        if (!x.reply().content().path("status").asText().equals("ok")) {
            throw new IllegalStateException(code + " failed: " + x.reply().content());
        }
    }

    private static double[] emptyCells(KernelClient c, int n) throws Exception {
        for (int i = 0; i < 10; i++) execute(c, "");
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            execute(c, "");
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    /** Words drawn from a small vocabulary with a fixed seed: text with structure, as the same bytes every run. */
    static String text(int chars) {
        String[] words = ("the a model job trains on text and each step reads a window of bytes then the loss falls as"
                + " it learns which byte comes next in notebooks kernels cells run jobs beside").split(" ");
        Random r = new Random(7);
        StringBuilder b = new StringBuilder(chars + 16);
        while (b.length() < chars) b.append(words[r.nextInt(words.length)]).append(r.nextInt(12) == 0 ? ". " : " ");
        return b.toString();
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static double pct(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f ms" : "%.2f ms", v);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
