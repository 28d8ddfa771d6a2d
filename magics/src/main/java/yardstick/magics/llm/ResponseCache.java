package yardstick.magics.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Answers on disk, one small JSON file per request, keyed by the SHA-256 of the provider, model, parameters and
 * messages. Files are written whole and renamed into place, so concurrent kernels never read half an answer.
 */
public final class ResponseCache {
    private static final ObjectMapper JSON = new ObjectMapper();
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
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(file(key)));
            return Optional.of(Completion.of(n.path("text").asText(), n.path("prompt_tokens").asInt(),
                    n.path("completion_tokens").asInt()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A damaged entry is a miss; the next answer overwrites it.
            return Optional.empty();
        }
    }

    public void put(String key, Completion c) {
        Path target = file(key);
        try {
            Files.createDirectories(target.getParent());
            ObjectNode n = JSON.createObjectNode().put("text", c.text()).put("prompt_tokens", c.promptTokens())
                    .put("completion_tokens", c.completionTokens());
            Path tmp = Files.createTempFile(target.getParent(), key, ".tmp");
            Files.write(tmp, JSON.writeValueAsString(n).getBytes(StandardCharsets.UTF_8));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // The cache is an optimisation: a full or read-only disk must not fail the call.
        }
    }

    private Path file(String key) {
        return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
    }
}
