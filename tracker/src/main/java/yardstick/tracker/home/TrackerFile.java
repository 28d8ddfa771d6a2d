package yardstick.tracker.home;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import yardstick.common.YardstickNames;

/**
 * {@code <home>/tracker.json}: which tracker serves this home. Written by the tracker itself once it serves, replaced
 * whole (a reader never sees half a file), and trusted only while {@code /health} answers with the same instance.
 */
public record TrackerFile(String url, long pid, String home, String store, String instance) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Path path(Path home) {
        return home.resolve(YardstickNames.TRACKER_FILE);
    }

    /** The file's content; empty when there is none or it cannot be read as one (a stale or foreign file). */
    public static Optional<TrackerFile> read(Path home) {
        try {
            JsonNode n = JSON.readTree(Files.readString(path(home)));
            if (!n.path("url").isTextual() || !n.path("instance").isTextual()) return Optional.empty();
            return Optional.of(new TrackerFile(n.path("url").asText(), n.path("pid").asLong(-1), n.path("home").asText(),
                    n.path("store").asText(), n.path("instance").asText()));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    /** Replaces the home's file with this one in one step. */
    public void write(Path home) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("url", url).put("pid", pid).put("home", this.home).put("store", store).put("instance", instance);
        Path target = path(home);
        Path partial = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(partial, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
        try {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
