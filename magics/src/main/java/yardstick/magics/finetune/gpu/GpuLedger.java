package yardstick.magics.finetune.gpu;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Which job holds which GPUs and who waits, in one small JSON file beside the jobs ({@code jobs/gpus.json}). Jobs
 * outlive kernels and several kernels may share one machine, so the file, not memory, is the truth: every change
 * reads it, decides and writes it back while holding a file lock (other processes) and a lock per file (this JVM's
 * threads, since a file lock belongs to the whole process).
 */
final class GpuLedger {
    /** A job's GPUs, by physical index, and when it got them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Holding(String job, List<Integer> gpus, long since) {
        Holding {
            gpus = List.copyOf(gpus);
        }
    }

    /** A job waiting for {@code n} GPUs: in line since {@code since}, last asked at {@code polled}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Waiter(String job, int n, long since, long polled) {}

    /** The whole file: holdings, and the queue in arrival order. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record State(List<Holding> holdings, List<Waiter> queue) {
        static final State EMPTY = new State(List.of(), List.of());

        State {
            holdings = holdings == null ? List.of() : List.copyOf(holdings);
            queue = queue == null ? List.of() : List.copyOf(queue);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private final Path file;

    GpuLedger(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    Path file() {
        return file;
    }

    /** The state as last written; empty when there is no file yet. */
    State read() {
        if (!Files.isRegularFile(file)) return State.EMPTY;
        try {
            return JSON.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            throw new GpuException("cannot read the GPU holdings in " + file + " (fix or delete it): " + e.getMessage(), e);
        }
    }

    /** What {@code change} gets back from one atomic read-decide-write of the state. */
    record Change<T>(State next, T result) {}

    /** Reads the state, applies {@code change} and writes what it returns, with no other change in between. */
    @SuppressWarnings("try") // the file lock is held for the block, never read
    <T> T update(Function<State, Change<T>> change) {
        ReentrantLock local = LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = ch.lock()) {
                State before = read();
                Change<T> c = change.apply(before);
                if (!c.next().equals(before)) write(c.next());
                return c.result();
            }
        } catch (IOException e) {
            throw new GpuException("cannot update the GPU holdings in " + file + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    private void write(State s) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), s);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
