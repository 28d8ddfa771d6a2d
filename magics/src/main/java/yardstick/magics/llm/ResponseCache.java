package yardstick.magics.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers on disk, one small JSON file per request, keyed by the SHA-256 of the provider, model, parameters and
 * messages. Files are written whole and renamed into place, so concurrent kernels never read half an answer. Writing
 * costs more than the rest of a call together (about 0.6 ms), so it happens on one background thread; until it is
 * done the answer is served from memory, and the JVM's exit waits for the writes still queued.
 */
public final class ResponseCache {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, Completion> PENDING = new ConcurrentHashMap<>();
    private static final Set<Path> MADE = ConcurrentHashMap.newKeySet();
    private static final ExecutorService WRITER =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("yardstick-llm-cache").factory());

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> flush(Duration.ofSeconds(5)), "yardstick-llm-cache-flush"));
    }

    private final Path dir;

    public ResponseCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The key of a request to a provider: hex SHA-256 over a canonical JSON form of everything that shapes the answer. */
    public static String key(String providerId, ChatRequest request) {
        ObjectNode k = JSON.createObjectNode();
        k.put("provider", providerId);
        k.put("model", request.model());
        if (request.temperature() != null) k.put("temperature", request.temperature());
        if (request.maxTokens() != null) k.put("max_tokens", request.maxTokens());
        ArrayNode messages = k.putArray("messages");
        for (Message m : request.messages()) messages.addObject().put("role", m.role()).put("content", m.content());
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(JSON.writeValueAsBytes(k)));
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<Completion> get(String key) {
        Path file = file(key);
        Completion queued = PENDING.get(file);
        if (queued != null) return Optional.of(queued);
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(file));
            return Optional.of(Completion.of(n.path("text").asText(), n.path("prompt_tokens").asInt(),
                    n.path("completion_tokens").asInt()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A damaged entry is a miss; the next answer overwrites it.
            return Optional.empty();
        }
    }

    /** Keeps the answer; it reaches the disk shortly after, off the caller's thread. */
    public void put(String key, Completion c) {
        Path target = file(key);
        PENDING.put(target, c);
        WRITER.execute(() -> {
            write(target, c);
            PENDING.remove(target, c);
        });
    }

    /** Waits until every answer kept so far is on disk (or the time is up); true when it is. */
    public static boolean flush(Duration timeout) {
        try {
            WRITER.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return false;
        }
    }

    private static void write(Path target, Completion c) {
        try {
            if (MADE.add(target.getParent())) Files.createDirectories(target.getParent());
            ObjectNode n = JSON.createObjectNode().put("text", c.text()).put("prompt_tokens", c.promptTokens())
                    .put("completion_tokens", c.completionTokens());
            // One writer thread per JVM, so the process id makes the temporary name unique among kernels.
            Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(n));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // The cache is an optimisation: a full or read-only disk must not fail the call. A directory removed
            // while the kernel runs is made again on the next write.
            MADE.remove(target.getParent());
        }
    }

    private Path file(String key) {
        return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
    }
}
