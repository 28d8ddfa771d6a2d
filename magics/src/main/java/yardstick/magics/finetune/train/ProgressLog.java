package yardstick.magics.finetune.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The trainer's side of the progress protocol: one JSON object per line, appended to {@code progress.jsonl} and
 * flushed at once so that the kernel (or anything tailing the file) sees each step as it ends. Step lines carry
 * {@code step, steps, epoch, loss, throughput, unit, eta_s, elapsed_s}; event lines carry {@code event}:
 * {@code start}, {@code checkpoint}, {@code metric}, {@code done} or {@code failed} (with {@code reason}).
 */
public final class ProgressLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OutputStream out;

    public ProgressLog(Path file) throws IOException {
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public ObjectNode line() {
        return JSON.createObjectNode().put("time", System.currentTimeMillis());
    }

    public ObjectNode event(String name) {
        return line().put("event", name);
    }

    public synchronized void write(ObjectNode line) {
        try {
            out.write((line.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write progress: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
