package yardstick.kernel.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import yardstick.kernel.JavaKernel;
import yardstick.kernel.Session;
import yardstick.kernel.eval.EvaluatorStart;
import yardstick.kernel.guard.ExitAgent;
import yardstick.kernel.guard.ExitGuard;
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
              bench rag|scifact|eval|finetune [OPTIONS]                   the toolkit's benchmarks
            """;

    /** Set on a runner this command started again with the exit agent, so it never starts a third. */
    static final String RELAUNCHED = "yardstick.relaunched";

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
            case "run" -> run(args, rest);
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
        ExitGuard.exit(code);
    }

    /**
     * Runs a notebook in a JVM where the exit guard is on, so a cell calling System.exit fails that cell instead of
     * ending the run: this one when it was started with the agent (or is the second start), else a second JVM started
     * with the agent, this JVM's options and class path, and this terminal.
     */
    private static int run(String[] args, List<String> rest) throws InterruptedException {
        if (ExitGuard.active() || Boolean.getBoolean(RELAUNCHED)) {
            if (Boolean.getBoolean(RELAUNCHED)) ParentWatch.start(false);  // ends with the command that started it
            return yardstick.kernel.runner.RunCommand.run(rest);
        }
        yardstick.kernel.runner.RunCommand.Request request;
        try {
            request = yardstick.kernel.runner.RunCommand.parse(rest);
        } catch (IllegalArgumentException e) {
            return yardstick.kernel.runner.RunCommand.run(rest);  // says what is wrong, with the usage
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try {
            cmd.addAll(ExitAgent.jvmOptions(ExitAgent.jar(Paths.home().resolve("agent"))));
        } catch (IOException | RuntimeException e) {
            System.err.println("yardstick run: without the exit guard (" + e.getMessage() + "): a cell that calls"
                    + " System.exit ends the run");
            return yardstick.kernel.runner.RunCommand.run(rest);
        }
        List<String> inherited = ManagementFactory.getRuntimeMXBean().getInputArguments();
        cmd.addAll(inherited);
        if (inherited.stream().noneMatch(a -> a.contains("jdk.incubator.vector"))) cmd.add(Jvm.VECTOR_MODULE);
        cmd.add("-D" + RELAUNCHED + "=true");
        // The notebook runs in its own folder, as Jupyter starts a kernel; the command line's paths stay relative to here.
        File folder = request.inputFile().getParent().toFile();
        cmd.add("-D" + yardstick.kernel.runner.RunCommand.FROM_PROPERTY + "=" + Path.of("").toAbsolutePath());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(folder.isDirectory() ? folder : null).inheritIO().start();
            return p.waitFor();
        } catch (IOException e) {
            System.err.println("yardstick run: cannot start a JVM with the exit guard (" + e.getMessage() + ")");
            return yardstick.kernel.runner.RunCommand.run(rest);
        }
    }

    private static int kernel(List<String> args) throws Exception {
        int f = args.indexOf("-f");
        if (f < 0 || f + 1 >= args.size()) {
            System.err.println("yardstick kernel: needs -f CONNECTION_FILE");
            return 2;
        }
        // JShell's start is most of a kernel's; begun once the sockets answer, it leaves kernel_info alone.
        EvaluatorStart jshell = Session.prepareEvaluator();
        Path connectionFile = Path.of(args.get(f + 1)).toAbsolutePath();
        ConnectionInfo info = ConnectionInfo.read(connectionFile);
        ParentWatch.start(true);  // a front end that dies takes its kernel with it
        // Run logging finds the notebook's path through it where the front end does not say it (Notebook 6).
        System.setProperty(yardstick.common.YardstickNames.KERNEL_CONNECTION_FILE_PROPERTY, connectionFile.toString());
        try (JavaKernel kernel = new JavaKernel(info, Paths.home().resolve("history.jsonl"), jshell)) {
            kernel.start();
            jshell.open();
            kernel.awaitShutdown();
        }
        return 0;
    }
}
