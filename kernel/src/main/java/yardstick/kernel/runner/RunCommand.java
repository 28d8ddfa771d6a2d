package yardstick.kernel.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code yardstick run NOTEBOOK [-p NAME=VALUE]... [-o OUT] [--allow-errors]}. */
public final class RunCommand {
    static final String USAGE = "usage: yardstick run NOTEBOOK [-p NAME=VALUE]... [-o OUT] [--allow-errors]";

    private RunCommand() {}

    public static int run(List<String> args) {
        Path input = null, output = null;
        List<String> params = new ArrayList<>();
        boolean allowErrors = false;
        try {
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
            if (output == null) output = defaultOutput(input);
            NotebookRunner.Result r = NotebookRunner.run(input, output, NotebookRunner.parameters(params), allowErrors);
            if (!r.ok()) {
                System.err.println("yardstick run: cell " + (r.failedCell() + 1) + " of " + input + " failed: " + r.failure());
                System.err.println("executed notebook written to " + output);
                return allowErrors ? 0 : 1;
            }
            System.err.println("yardstick run: " + r.cellsRun() + " cells ran; executed notebook written to " + output);
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
