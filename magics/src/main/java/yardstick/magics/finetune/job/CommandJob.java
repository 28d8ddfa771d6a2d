package yardstick.magics.finetune.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * How a command job runs and how its end is read, the same on every backend. The command line runs under
 * {@code bash -c} inside a wrapper that writes its exit status to {@code exit_code} in the job's folder once it has
 * ended: a kernel that restarted, or one that watches a Slurm job, reads the status there, since only the process's
 * parent could ask the operating system for it. A job whose wrapper was killed with it (a cancel kills the whole
 * process group) leaves no status.
 */
public final class CommandJob {
    public static final String EXIT_FILE = "exit_code";
    private static final String WRAPPER = "bash -c \"$1\"; c=$?; printf '%d\\n' \"$c\" > \"$2.tmp\" && mv -f \"$2.tmp\" \"$2\"; exit \"$c\"";

    private CommandJob() {}

    /** The argument vector that runs {@code line} and records its status in {@code dir}. */
    public static List<String> wrapped(String line, Path dir) {
        return List.of("bash", "-c", WRAPPER, "yardstick-job", line, dir.resolve(EXIT_FILE).toAbsolutePath().toString());
    }

    /** The recorded exit status, if the command has ended and its wrapper lived to write it. */
    public static OptionalInt exitCode(Path dir) {
        Path f = dir.resolve(EXIT_FILE);
        try {
            if (!Files.isRegularFile(f)) return OptionalInt.empty();
            return OptionalInt.of(Integer.parseInt(Files.readString(f).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** "exit 1", or "killed by signal 9 (SIGKILL)" for the shell's 128+n. */
    public static String describe(int code) {
        if (code > 128 && code < 160) {
            int sig = code - 128;
            String name = switch (sig) {
                case 9 -> " (SIGKILL: killed, or out of memory)";
                case 15 -> " (SIGTERM)";
                case 6 -> " (SIGABRT)";
                case 11 -> " (SIGSEGV)";
                case 2 -> " (SIGINT)";
                default -> "";
            };
            return "killed by signal " + sig + name;
        }
        return "exit " + code;
    }

    /**
     * Fails when the command's first word names no program, builtin or function in {@code workdir} with {@code env}'s
     * PATH, so a typo costs a one-line message instead of a failed job.
     */
    public static void checkProgram(String line, Path workdir, Map<String, String> env) {
        if (line == null || line.isBlank()) throw new JobException("--command needs a command line to run");
        String first = line.strip().split("\\s+", 2)[0];
        // Shell syntax (assignments, quoting, subshells) is left to the shell to judge.
        if (!first.matches("[A-Za-z0-9_./+-]+")) return;
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "type -t -- \"$1\"", "check", first)
                .directory(workdir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            if (!out.isEmpty()) return;
            if (first.contains("/") && Files.isRegularFile(workdir.resolve(first))) {
                throw new JobException(first + " is not executable: run it through its interpreter (python3 " + first
                        + ") or chmod +x it");
            }
            throw new JobException("command '" + first + "' not found" + (first.contains("/") ? " in " + workdir
                    : " on PATH") + ": nothing was launched");
        } catch (IOException e) {
            throw new JobException("cannot run bash to start the command: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobException("interrupted while checking the command", e);
        }
    }
}
