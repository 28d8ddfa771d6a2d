package yardstick.bench.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import yardstick.kernel.bench.Bench;
import yardstick.kernel.cli.Install;
import yardstick.kernel.cli.KernelProcess;
import yardstick.kernel.cli.StartupCache;
import yardstick.kernel.protocol.Json;
import yardstick.kernel.protocol.KernelClient;
import yardstick.kernel.protocol.Message;
import yardstick.kernel.protocol.ProtocolException;

/**
 * {@code yardstick bench kernel}: starts this kernel the way its kernelspec does, and ipykernel beside it, and times
 * both through the same client: cold starts, then warm round trips. Prints a table against the targets of the issue.
 */
public final class KernelBench implements Bench {
    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public String arguments() {
        return "[--runs N] [--no-peer]";
    }

    @Override
    public String summary() {
        return "this kernel against ipykernel over the wire";
    }

    @Override
    public int run(List<String> args) throws Exception {
        return main(concat("kernel", args));
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    static final String USAGE = "usage: yardstick bench kernel [--runs N] [--no-peer]";
    private static final int WARM_ITERATIONS = 200;
    private static final int WARM_UP = 20;
    private static final Duration COLD_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration WARM_TIMEOUT = Duration.ofSeconds(20);

    public KernelBench() {}  // a Bench service

    /** A kernel to measure: how to launch it and its spelling of the measured cells. */
    record Subject(String name, List<String> argv, Map<String, String> env, String assignment, String completion) {}

    /** What one kernel measured: cold-start times per run and warm round-trip samples, all in milliseconds. */
    static final class Result {
        final List<Double> kernelInfo = new ArrayList<>();
        final List<Double> firstResult = new ArrayList<>();
        final List<Double> cpuToResult = new ArrayList<>();
        double[] assignment, empty, complete;
    }

    public static int main(List<String> args) throws Exception {
        if (args.isEmpty() || !args.get(0).equals("kernel")) return usage(null);
        int runs = 5;
        boolean peer = true;
        for (int i = 1; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--runs" -> {
                    if (i + 1 >= args.size()) return usage("--runs needs a number");
                    try {
                        runs = Integer.parseInt(args.get(++i));
                    } catch (NumberFormatException e) {
                        return usage("--runs needs a number, not '" + args.get(i) + "'");
                    }
                    if (runs < 1) return usage("--runs must be at least 1");
                }
                case "--no-peer" -> peer = false;
                default -> {
                    return usage("unknown argument " + args.get(i));
                }
            }
        }
        Path work = Files.createTempDirectory("yardstick-bench");
        // Both kernels keep their per-user state (history, profile) in a scratch directory, not the user's own.
        Subject yardstick = new Subject("yardstick", Install.kernelCommand(),
                Map.of("YARDSTICK_HOME", work.resolve("home").toString()), "int x = 1;", "\"abc\".subs");
        Subject ipykernel = new Subject("ipykernel",
                List.of("/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"),
                Map.of("IPYTHONDIR", work.resolve("ipython").toString()), "x = 1", "\"abc\".st");

        System.out.println("yardstick bench kernel: " + runs + " cold start" + (runs == 1 ? "" : "s") + " each, "
                + WARM_ITERATIONS + " warm iterations per metric; " + Runtime.getRuntime().availableProcessors()
                + " CPUs, load average " + loadAverage());
        System.out.println("yardstick command: " + String.join(" ", yardstick.argv()));
        System.out.println(StartupCache.prepare());
        Result ours = measure(yardstick, runs, work);
        Result theirs = null;
        String peerNote;
        if (!peer) {
            peerNote = "skipped (--no-peer)";
        } else if ((peerNote = ipykernelMissing()) == null) {
            theirs = measure(ipykernel, runs, work);
        }
        System.out.println();
        print(ours, theirs, peerNote);
        deleteTree(work);
        return 0;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static int usage(String problem) {
        System.err.println(problem == null ? USAGE : "yardstick bench: " + problem + "\n" + USAGE);
        return 2;
    }

    /** Null when ipykernel can be imported, else why not. */
    private static String ipykernelMissing() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import ipykernel").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() == 0) return null;
            String[] lines = out.split("\n");
            return "n/a: /usr/bin/python3 cannot import ipykernel (" + lines[lines.length - 1] + ")";
        } catch (IOException | InterruptedException e) {
            return "n/a: /usr/bin/python3 does not run (" + e.getMessage() + ")";
        }
    }

    static Result measure(Subject subject, int runs, Path work) throws Exception {
        Result r = new Result();
        int retries = 3;
        for (int run = 1; run <= runs; run++) {
            boolean last = run == runs;
            try (KernelProcess k = KernelProcess.start(subject.name(), subject.argv(), subject.env(), work)) {
                KernelClient c = k.client();
                Message info = c.sendShell("kernel_info_request", Json.object());
                try {
                    k.shellReply(info, COLD_TIMEOUT);
                } catch (KernelProcess.ExitedException e) {
                    // Another program can take a free port before the kernel binds it: start again on new ports.
                    if (retries-- == 0) throw e;
                    System.out.println(subject.name() + " run " + run + " exited early; starting it again ("
                            + e.getMessage().lines().reduce((a, b) -> b).orElse("") + ")");
                    run--;
                    continue;
                }
                double toInfo = k.elapsedMs();
                k.awaitIOPub(COLD_TIMEOUT);
                Message exec = c.sendShell("execute_request", KernelProcess.execute("1 + 1"));
                Message result = c.iopub(exec, "execute_result", COLD_TIMEOUT);
                double toResult = k.elapsedMs();
                double cpu = k.cpuMs();
                String shown = result.content().path("data").path("text/plain").asText();
                if (!shown.equals("2")) throw new IllegalStateException(subject.name() + " said 1 + 1 = " + shown);
                c.iopub(exec, "status", COLD_TIMEOUT);
                r.kernelInfo.add(toInfo);
                r.firstResult.add(toResult);
                r.cpuToResult.add(cpu);
                System.out.printf(Locale.ROOT, "%s run %d: kernel_info %.0f ms, first result %.0f ms (%.0f ms of CPU)%n",
                        subject.name(), run, toInfo, toResult, cpu);
                if (last) {
                    r.assignment = warm(c, () -> KernelProcess.execute(subject.assignment()), "execute_reply");
                    r.empty = warm(c, () -> KernelProcess.execute(""), "execute_reply");
                    String code = subject.completion();
                    r.complete = warm(c, () -> Json.object().put("code", code).put("cursor_pos", code.length()),
                            "complete_reply");
                }
                k.shutdown();
            }
        }
        return r;
    }

    /** Round trips of one request type, timed from send to both the reply and the idle status; warm-ups discarded. */
    private static double[] warm(KernelClient c, java.util.function.Supplier<ObjectNode> content, String replyType)
            throws TimeoutException, ProtocolException {
        String requestType = replyType.replace("_reply", "_request");
        double[] samples = new double[WARM_ITERATIONS];
        for (int i = -WARM_UP; i < WARM_ITERATIONS; i++) {
            long t0 = System.nanoTime();
            KernelClient.Exchange x = c.request(requestType, content.get(), WARM_TIMEOUT);
            long t1 = System.nanoTime();
            String status = x.reply().content().path("status").asText();
            if (!x.reply().type().equals(replyType) || !status.equals("ok")) {
                throw new IllegalStateException(requestType + " failed: " + x.reply().content());
            }
            if (i >= 0) samples[i] = (t1 - t0) / 1e6;
        }
        Arrays.sort(samples);
        return samples;
    }

    // ---- the table ----

    private record Row(String metric, String target, Double limit, double ours, Double theirs) {}

    private static void print(Result ours, Result theirs, String peerNote) {
        List<Row> rows = new ArrayList<>();
        rows.add(row("start -> kernel_info_reply (median)", 1000.0, median(ours.kernelInfo),
                theirs == null ? null : median(theirs.kernelInfo)));
        rows.add(row("start -> first 1 + 1 result (median)", 1500.0, median(ours.firstResult),
                theirs == null ? null : median(theirs.firstResult)));
        rows.add(row("warm x = 1 execute p50", 50.0, pct(ours.assignment, 50), theirs == null ? null : pct(theirs.assignment, 50)));
        rows.add(row("warm x = 1 execute p90", null, pct(ours.assignment, 90), theirs == null ? null : pct(theirs.assignment, 90)));
        rows.add(row("warm x = 1 execute p99", null, pct(ours.assignment, 99), theirs == null ? null : pct(theirs.assignment, 99)));
        rows.add(row("empty cell p50", 2.0, pct(ours.empty, 50), theirs == null ? null : pct(theirs.empty, 50)));
        rows.add(row("empty cell p99", null, pct(ours.empty, 99), theirs == null ? null : pct(theirs.empty, 99)));
        rows.add(row("complete_request p50", 50.0, pct(ours.complete, 50), theirs == null ? null : pct(theirs.complete, 50)));
        rows.add(row("complete_request p99", null, pct(ours.complete, 99), theirs == null ? null : pct(theirs.complete, 99)));

        String fmt = "%-38s %-11s %-16s %-14s %s%n";
        System.out.printf(Locale.ROOT, fmt, "metric", "target", "yardstick", "ipykernel", "ratio");
        System.out.printf(Locale.ROOT, fmt, "-".repeat(38), "-".repeat(11), "-".repeat(16), "-".repeat(14), "-".repeat(6));
        for (Row r : rows) {
            String verdict = r.limit() == null ? "" : r.ours() <= r.limit() ? "  ok" : "  MISS";
            System.out.printf(Locale.ROOT, fmt, r.metric(), r.target(), ms(r.ours()) + verdict,
                    r.theirs() == null ? "n/a" : ms(r.theirs()),
                    r.theirs() == null ? "n/a" : String.format(Locale.ROOT, "%.2f", r.ours() / r.theirs()));
        }
        if (theirs == null) System.out.println("ipykernel: " + peerNote);
        System.out.println("cold runs, yardstick (ms): kernel_info " + list(ours.kernelInfo) + ", first result "
                + list(ours.firstResult) + ", CPU used by then " + list(ours.cpuToResult));
        if (theirs != null) {
            System.out.println("cold runs, ipykernel (ms): kernel_info " + list(theirs.kernelInfo) + ", first result "
                    + list(theirs.firstResult) + ", CPU used by then " + list(theirs.cpuToResult));
        }
        System.out.printf(Locale.ROOT, "machine: %d CPUs, load average %s%n", Runtime.getRuntime().availableProcessors(),
                loadAverage());
        System.out.println("ratio = yardstick / ipykernel (below 1: yardstick is faster); warm times are send -> reply and idle status");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip().split(" ", 4)[0] + " (1 min)";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Row row(String metric, Double limit, double ours, Double theirs) {
        String target = limit == null ? "" : "<= " + (limit >= 1000 ? String.format(Locale.ROOT, "%.1f s", limit / 1000) : ms(limit));
        return new Row(metric, target, limit, ours, theirs);
    }

    private static String ms(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v) : String.format(Locale.ROOT, "%.2f ms", v);
    }

    private static String list(List<Double> values) {
        StringBuilder b = new StringBuilder("[");
        for (double v : values) b.append(b.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.0f", v));
        return b.append(']').toString();
    }

    static double median(List<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** Nearest-rank percentile of sorted samples. */
    static double pct(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
