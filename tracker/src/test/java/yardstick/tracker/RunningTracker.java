package yardstick.tracker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tracker on a free loopback port with a fresh SQLite store and artifact root, for one test class. */
public final class RunningTracker implements AutoCloseable {
    public final Path dir;
    public final TrackerServer server;

    public RunningTracker() {
        this(c -> c);
    }

    public RunningTracker(java.util.function.UnaryOperator<TrackerConfig> customize) {
        try {
            dir = Files.createTempDirectory("yardstick-tracker-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TrackerConfig config = TrackerConfig.defaults().withPort(0).withStore("sqlite:" + dir.resolve("tracker.db"))
                .withArtifactRoot(dir.resolve("artifacts"));
        server = TrackerServer.start(customize.apply(config));
    }

    public String uri() {
        return server.uri().toString();
    }

    @Override
    public void close() {
        server.close();
        TestFiles.deleteTree(dir);
    }
}
