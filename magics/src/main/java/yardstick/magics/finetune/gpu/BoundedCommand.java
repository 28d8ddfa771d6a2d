package yardstick.magics.finetune.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short external command (nvidia-smi, a Python probe) with a time limit, so that a hung driver or a slow
 * import never holds up a cell or a job for longer than that.
 */
final class BoundedCommand {
    /** What the command printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
        /** The first non-blank line of stderr, else of stdout: what a person needs to see of a failure. */
        String firstErrorLine() {
            for (String text : List.of(stderr, stdout)) {
                for (String l : text.split("\n")) {
                    if (!l.isBlank()) return l.strip();
                }
            }
            return "no output";
        }
    }

    private BoundedCommand() {}

    /**
     * Runs {@code command} and returns its output, or throws an {@link IOException} saying it could not start or
     * did not finish within {@code timeout} (it is killed then).
     */
    static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                long ms = timeout.toMillis();
                throw new IOException(Path.of(command.get(0)).getFileName() + " did not answer within "
                        + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms"));
            }
            return new Result(p.exitValue(), rest(out), rest(err));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** What is left to read once the command has ended; a grandchild that keeps the pipe open gets a second. */
    private static String rest(CompletableFuture<String> f) {
        try {
            return f.get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "";
        }
    }

    // Both pipes are read at once: a command that fills one while we block on the other would never finish.
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return f;
    }
}
