package yardstick.kernel.bench;

import java.util.List;

/**
 * A benchmark that {@code yardstick bench NAME} runs: it prints a table and returns an exit status. Benchmarks live
 * outside the kernel (the bench module) and are found through {@code META-INF/services/yardstick.kernel.bench.Bench}
 * on the class path the launcher gives {@code yardstick bench}. An implementation has a public no-argument constructor.
 */
public interface Bench {
    /** The name on the command line: {@code yardstick bench NAME}. */
    String name();

    /** Its arguments after the name, for the usage line ({@code "[--runs N] [--no-peer]"}); empty when none. */
    String arguments();

    /** What it measures, in a few words, for the usage line. */
    String summary();

    /** Runs it with the arguments after its name; returns the exit status. */
    int run(List<String> args) throws Exception;
}
