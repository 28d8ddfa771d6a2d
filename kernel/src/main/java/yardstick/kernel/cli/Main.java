package yardstick.kernel.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import yardstick.kernel.JavaKernel;
import yardstick.kernel.protocol.ConnectionInfo;

/** The {@code yardstick} command line: kernel, install, run. */
public final class Main {
    static final String USAGE = """
            usage: yardstick COMMAND [ARGS]
              run NOTEBOOK [-p NAME=VALUE]... [-o OUT] [--allow-errors]   execute a notebook headless
              install [--user|--sys-prefix|--prefix DIR] [--name NAME]    install the Jupyter kernelspec
              kernel -f CONNECTION_FILE                                   run the kernel (what Jupyter starts)
              tracker [--host H] [--port P] [--store S] [--artifacts DIR]  run the tracking server
              bench kernel [--runs N] [--no-peer]                         time this kernel against ipykernel
              bench rag|scifact|eval [OPTIONS]                            the toolkit's benchmarks
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            System.out.print(USAGE);
            return;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int code = switch (args[0]) {
            case "kernel" -> kernel(rest);
            case "install" -> Install.run(rest);
            case "run" -> yardstick.kernel.runner.RunCommand.run(rest);
            case "bench" -> Benchmarks.run(rest);
            case "--version", "version" -> {
                System.out.println("yardstick " + JavaKernel.VERSION);
                yield 0;
            }
            default -> {
                System.err.print("yardstick: unknown command '" + args[0] + "'\n" + USAGE);
                yield 2;
            }
        };
        System.exit(code);
    }

    private static int kernel(List<String> args) throws Exception {
        int f = args.indexOf("-f");
        if (f < 0 || f + 1 >= args.size()) {
            System.err.println("yardstick kernel: needs -f CONNECTION_FILE");
            return 2;
        }
        Path connectionFile = Path.of(args.get(f + 1)).toAbsolutePath();
        ConnectionInfo info = ConnectionInfo.read(connectionFile);
        // Run logging finds the notebook's path through it where the front end does not say it (Notebook 6).
        System.setProperty(yardstick.common.YardstickNames.KERNEL_CONNECTION_FILE_PROPERTY, connectionFile.toString());
        try (JavaKernel kernel = new JavaKernel(info, Paths.home().resolve("history.jsonl"))) {
            kernel.start();
            kernel.awaitShutdown();
        }
        return 0;
    }
}
