package yardstick.magics.eval;

import java.nio.file.Path;
import yardstick.kernel.magic.Environment;
import yardstick.magics.YardstickHome;
import yardstick.magics.track.Tracking;
import yardstick.tracker.TrackerConfig;
import yardstick.tracker.TrackerServer;

/** A real tracker that this JVM's notebook tracking points at, for review tests; restores the environment on close. */
final class LiveTracker implements AutoCloseable {
    private final TrackerConfig config;
    private final String wasTracking, wasUri;
    TrackerServer server;

    LiveTracker(Path dir) {
        System.setProperty(YardstickHome.PROPERTY, dir.resolve("home").toString());
        TrackerConfig c = TrackerConfig.defaults().withPort(0).withStore("sqlite:" + dir.resolve("tracker.db"))
                .withArtifactRoot(dir.resolve("artifacts"));
        server = TrackerServer.start(c);
        config = c.withPort(server.port());
        Environment env = Environment.shared();
        wasTracking = env.get("YARDSTICK_TRACKING");
        wasUri = env.get("MLFLOW_TRACKING_URI");
        env.set("YARDSTICK_TRACKING", "on");
        env.set("MLFLOW_TRACKING_URI", server.uri().toString());
        Tracking.reset();
    }

    /** Stops the tracker and starts it again on the same port and store, as after a crash and restart. */
    void restart() {
        server.close();
        server = TrackerServer.start(config);
    }

    @Override
    public void close() {
        Tracking.reset();
        Environment.shared().set("YARDSTICK_TRACKING", wasTracking);
        Environment.shared().set("MLFLOW_TRACKING_URI", wasUri);
        server.close();
        System.clearProperty(YardstickHome.PROPERTY);
    }
}
