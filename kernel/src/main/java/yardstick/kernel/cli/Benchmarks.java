package yardstick.kernel.cli;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import yardstick.kernel.bench.Bench;

/**
 * {@code yardstick bench NAME}: the benchmarks that print a table. They live in the bench module, which the kernel does
 * not depend on; the launcher puts it on the class path for this command, and they are found as {@link Bench} services.
 */
final class Benchmarks {
    private Benchmarks() {}

    /** The benchmarks on this class path, by name. */
    static Map<String, Bench> found(ClassLoader loader) {
        Map<String, Bench> byName = new TreeMap<>();
        for (Bench b : ServiceLoader.load(Bench.class, loader)) byName.putIfAbsent(b.name(), b);
        return byName;
    }

    static int run(List<String> args) throws Exception {
        Map<String, Bench> benches = found(Thread.currentThread().getContextClassLoader());
        if (benches.isEmpty()) {
            System.err.println("yardstick bench: no benchmarks on the class path (run it through ./yardstick, which adds"
                    + " the bench module)");
            return 2;
        }
        Bench bench = args.isEmpty() ? null : benches.get(args.get(0));
        if (bench == null) {
            System.err.print(usage(benches));
            return 2;
        }
        return bench.run(args.subList(1, args.size()));
    }

    static String usage(Map<String, Bench> benches) {
        StringBuilder sb = new StringBuilder("usage: yardstick bench NAME [OPTIONS]\n");
        for (Bench b : benches.values()) {
            String line = b.name() + (b.arguments().isEmpty() ? "" : " " + b.arguments());
            sb.append(String.format("  %-36s %s%n", line, b.summary()));
        }
        return sb.toString();
    }
}
