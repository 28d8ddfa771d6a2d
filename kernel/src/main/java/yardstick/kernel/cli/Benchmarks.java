package yardstick.kernel.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import yardstick.kernel.bench.KernelBench;

/**
 * {@code yardstick bench NAME}: the benchmarks that print a table. The kernel's is here; the toolkit's live in the
 * magics module, which the kernel does not depend on, so they are found by class name on the launcher's class path.
 */
final class Benchmarks {
    static final Map<String, String> TOOLKIT = new TreeMap<>(Map.of(
            "rag", "yardstick.magics.rag.bench.RagBench",
            "scifact", "yardstick.magics.rag.bench.SciFactBench",
            "eval", "yardstick.magics.eval.bench.EvalBench",
            "finetune", "yardstick.magics.finetune.bench.FinetuneBench"));

    private Benchmarks() {}

    static int run(List<String> args) throws Exception {
        String name = args.isEmpty() ? "" : args.get(0);
        if (name.equals("kernel")) return KernelBench.main(args);
        String main = TOOLKIT.get(name);
        if (main == null) {
            System.err.println("usage: yardstick bench kernel|" + String.join("|", TOOLKIT.keySet()) + " [OPTIONS]");
            return 2;
        }
        try {
            Class.forName(main).getMethod("main", String[].class)
                    .invoke(null, (Object) args.subList(1, args.size()).toArray(String[]::new));
        } catch (ClassNotFoundException e) {
            System.err.println("yardstick bench " + name + ": " + main + " is not on the class path (run it through ./yardstick)");
            return 2;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
        return 0;
    }
}
