package yardstick.magics.finetune.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU and memory use of the whole machine from {@code /proc}, computed as psutil does on Linux (which MLflow's
 * system metrics use), so that a job's numbers read the same as a Python trainer's.
 */
final class HostStats {
    /** Cumulative CPU time from the first line of {@code /proc/stat}, in clock ticks. */
    record CpuTimes(long total, long busy) {}

    /** Memory in bytes: psutil's {@code used} (total - free - buffers - cached - SReclaimable) and the total. */
    record Memory(long usedBytes, long totalBytes) {}

    private final Path proc;

    HostStats(Path proc) {
        this.proc = proc;
    }

    CpuTimes cpu() throws IOException {
        String first;
        try (var lines = Files.lines(proc.resolve("stat"))) {
            first = lines.findFirst().orElseThrow(() -> new IOException(proc.resolve("stat") + " is empty"));
        }
        return parseCpu(first);
    }

    /** "cpu  user nice system idle iowait irq softirq steal guest guest_nice" → total and busy ticks. */
    static CpuTimes parseCpu(String line) throws IOException {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5 || !f[0].equals("cpu")) throw new IOException("not the cpu line of /proc/stat: '" + line + "'");
        long[] v = new long[10];
        for (int i = 1; i < f.length && i <= 10; i++) v[i - 1] = Long.parseLong(f[i]);
        long sum = 0;
        for (long x : v) sum += x;
        // Guest time is already counted in user and nice; idle and iowait are the only idle times (psutil, htop).
        long total = sum - v[8] - v[9];
        long busy = total - v[3] - v[4];
        return new CpuTimes(total, busy);
    }

    /** Percent of CPU time busy between two readings, as psutil.cpu_percent: rounded to 0.1, within 0 and 100. */
    static double cpuPercent(CpuTimes before, CpuTimes after) {
        long total = after.total() - before.total();
        long busy = after.busy() - before.busy();
        if (total <= 0 || busy <= 0) return 0.0;
        return Math.min(100.0, Math.round(busy * 1000.0 / total) / 10.0);
    }

    Memory memory() throws IOException {
        return parseMemory(Files.readAllLines(proc.resolve("meminfo")));
    }

    static Memory parseMemory(List<String> lines) throws IOException {
        Map<String, Long> kb = new HashMap<>();
        for (String l : lines) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 2 && f[0].endsWith(":")) {
                try {
                    kb.put(f[0].substring(0, f[0].length() - 1), Long.parseLong(f[1]));
                } catch (NumberFormatException ignored) {
                    // Not a number we use.
                }
            }
        }
        for (String k : List.of("MemTotal", "MemFree", "Buffers", "Cached")) {
            if (!kb.containsKey(k)) throw new IOException("/proc/meminfo has no " + k);
        }
        long total = kb.get("MemTotal"), free = kb.get("MemFree");
        long used = total - free - kb.get("Buffers") - kb.get("Cached") - kb.getOrDefault("SReclaimable", 0L);
        if (used < 0) used = total - free; // inside some containers the cache figures are the host's
        return new Memory(used * 1024, total * 1024);
    }
}
