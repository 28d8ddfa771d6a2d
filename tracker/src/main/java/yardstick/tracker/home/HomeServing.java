package yardstick.tracker.home;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import yardstick.tracker.TrackerConfig;
import yardstick.tracker.TrackerServer;

/**
 * What {@code TrackerMain --serve-home} does beyond serving: it listens where a bookmark finds it (the port this home's
 * tracker had last, else the configured port, 5000 by default, else any free one), announces itself in the home's
 * {@link TrackerFile}, and exits on its own when the home is deleted or its file names another tracker, so a test that
 * deletes its temporary home leaves no process behind.
 */
public final class HomeServing implements AutoCloseable {
    private static final long WATCH_MILLIS = 1000;

    private final TrackerServer server;
    private final Path home;
    private final TrackerFile file;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HomeServing(TrackerServer server, Path home, TrackerFile file) {
        this.server = server;
        this.home = home;
        this.file = file;
    }

    /**
     * Starts serving {@code home} and writes its file. With {@code portAsGiven} (a tracker the user started in the
     * foreground) it listens on the configured port or fails, as the user asked for that port.
     */
    public static HomeServing start(TrackerConfig config, Path home, boolean portAsGiven) throws IOException {
        Path abs = home.toAbsolutePath().normalize();
        Files.createDirectories(abs);
        Set<Integer> ports = new LinkedHashSet<>();
        if (!portAsGiven) {
            TrackerFile.read(abs).map(f -> URI.create(f.url()).getPort()).filter(p -> p > 0).ifPresent(ports::add);
        }
        ports.add(config.port());
        if (!portAsGiven) ports.add(0);
        TrackerServer server = null;
        UncheckedIOException last = null;
        for (int port : ports) {
            try {
                server = TrackerServer.start(config.withPort(port));
                break;
            } catch (UncheckedIOException taken) {
                last = taken;
            }
        }
        if (server == null) throw last;
        TrackerFile file = new TrackerFile(server.uri().toString(), ProcessHandle.current().pid(), abs.toString(),
                server.store().describe(), server.instance());
        try {
            file.write(abs);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new HomeServing(server, abs, file);
    }

    public TrackerServer server() {
        return server;
    }

    /** Returns when the home is gone or names another tracker; the caller then closes this and exits. */
    public void awaitOrphaned() throws InterruptedException {
        while (Files.isDirectory(home) && TrackerFile.read(home).map(TrackerFile::instance).equals(Optional.of(file.instance()))) {
            Thread.sleep(WATCH_MILLIS);
        }
    }

    /**
     * Stops serving. The home's file stays: no tracker answers as the instance it names, so the next start replaces
     * it, on the port it names, where bookmarks and running jobs look.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) return;
        server.close();
    }
}
