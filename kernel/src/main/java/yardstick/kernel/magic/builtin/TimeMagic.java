package yardstick.kernel.magic.builtin;

import java.lang.management.ManagementFactory;
import yardstick.kernel.magic.Magic;
import yardstick.kernel.magic.MagicCall;
import yardstick.kernel.magic.MagicException;

/** {@code %time CODE} and {@code %%time}: runs code once as a cell and prints how long it took. */
public final class TimeMagic implements Magic {
    @Override
    public String name() {
        return "time";
    }

    @Override
    public String usage() {
        return "%time CODE | %%time (code in the cell below)";
    }

    @Override
    public String help() {
        return "Runs the code once, as a cell would (declarations stay defined, the value is shown), and prints the "
                + "wall-clock time and the process's CPU time (all threads, so JIT and GC are included).";
    }

    @Override
    public Object run(MagicCall call) throws Exception {
        String code = call.isCell() ? call.body() : call.rawArgs();
        if (call.isCell() && !call.rawArgs().isBlank()) throw new MagicException("%%time takes no arguments");
        if (code.isBlank()) throw new MagicException("nothing to time");
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        try {
            return CellCode.run(call.context(), code);
        } finally {
            long wall = System.nanoTime() - t0;
            long cpu = processCpuNanos() - cpu0;
            StringBuilder out = new StringBuilder();
            if (cpu0 >= 0) out.append("CPU time: ").append(Durations.format(cpu / 1e9)).append('\n');
            System.out.print(out.append("Wall time: ").append(Durations.format(wall / 1e9)).append('\n'));
        }
    }

    /** The CPU time of the whole process, since the code runs on JShell's own thread; -1 where unsupported. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
