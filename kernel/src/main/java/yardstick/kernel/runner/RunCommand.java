package yardstick.kernel.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code yardstick run NOTEBOOK [-p NAME=VALUE]... [-o OUT] [--allow-errors]}. */
public final class RunCommand {
    static final String USAGE = "usage: yardstick run NOTEBOOK [-p NAME=VALUE]... [-o OUT] [--allow-errors]";

    private RunCommand() {}

    /**
     * The folder relative paths on the command line are from, when this JVM runs elsewhere: {@code yardstick run}
     * runs its notebook in the notebook's folder, as Jupyter starts a kernel, so a cell's {@code Path.of("data/x")}
     * reads the same file as its magics do.
     */
    public static final String FROM_PROPERTY = "yardstick.run.from";

    /** A parsed command line: the paths as given, and the folder they are relative to. */
    public record Request(Path input, Path output, List<String> params, boolean allowErrors) {
        /** The notebook's file, however the command line named it. */
        public Path inputFile() {
            return from().resolve(input);
        }

        Path outputFile() {
            return from().resolve(output);
        }

        private static Path from() {
            return Path.of(System.getProperty(FROM_PROPERTY, "")).toAbsolutePath();
        }
    }

    /** Reads the command line; an {@link IllegalArgumentException} says what is wrong with it. */
    public static Request parse(List<String> args) {
        Path input = null, output = null;
        List<String> params = new ArrayList<>();
        boolean allowErrors = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-p", "--parameter" -> params.add(next(args, ++i, a));
                case "-o", "--output" -> output = Path.of(next(args, ++i, a));
                case "--allow-errors" -> allowErrors = true;
                default -> {
                    if (a.startsWith("-") || input != null) throw new IllegalArgumentException("unexpected argument " + a);
                    input = Path.of(a);
                }
            }
        }
        if (input == null) throw new IllegalArgumentException("no notebook given");
        return new Request(input, output == null ? defaultOutput(input) : output, List.copyOf(params), allowErrors);
    }

    public static int run(List<String> args) {
        Request q;
        try {
            q = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("yardstick run: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        try {
            NotebookRunner.Result r = NotebookRunner.run(q.inputFile(), q.outputFile(), NotebookRunner.parameters(q.params()),
                    q.allowErrors());
            if (!r.ok()) {
                System.err.println("yardstick run: cell " + (r.failedCell() + 1) + " of " + q.input() + " failed: " + r.failure());
                System.err.println("executed notebook written to " + q.output());
                return q.allowErrors() ? 0 : 1;
            }
            System.err.println("yardstick run: " + r.cellsRun() + " cells ran; executed notebook written to " + q.output());
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("yardstick run: " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (IOException e) {
            System.err.println("yardstick run: " + e.getMessage());
            return 2;
        }
    }

    private static String next(List<String> args, int i, String option) {
        if (i >= args.size()) throw new IllegalArgumentException(option + " needs a value");
        return args.get(i);
    }

    /** {@code dir/name.ipynb} becomes {@code dir/name.out.ipynb}. */
    static Path defaultOutput(Path input) {
        String name = input.getFileName().toString();
        String base = name.endsWith(".ipynb") ? name.substring(0, name.length() - 6) : name;
        return input.resolveSibling(base + ".out.ipynb");
    }
}
