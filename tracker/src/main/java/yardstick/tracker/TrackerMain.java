package yardstick.tracker;

import java.util.concurrent.CountDownLatch;

/** {@code yardstick tracker [options]}: runs the tracker until the process is stopped. */
public final class TrackerMain {
    private TrackerMain() {}

    public static void main(String[] args) throws InterruptedException {
        TrackerConfig config;
        try {
            config = TrackerConfig.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        TrackerServer server;
        try {
            server = TrackerServer.start(config);
        } catch (RuntimeException e) {
            System.err.println("yardstick tracker: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tracker-shutdown"));
        // Scripts and tests wait for this line to know the port is open.
        System.out.println("Yardstick tracker listening on " + server.uri() + " (store " + server.store().describe()
                + ", artifacts " + server.artifacts().root() + ")");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
