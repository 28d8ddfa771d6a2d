package yardstick.tracker;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import yardstick.tracker.home.HomeServing;
import yardstick.tracker.home.HomeTracker;

/**
 * {@code yardstick tracker [options]}: runs the tracker until the process is stopped; on the home's own store it is the
 * home's tracker, which kernels then reuse. {@code yardstick tracker start|stop|status} manage the home's shared
 * tracker in the background (see {@link HomeTracker}).
 */
public final class TrackerMain {
    private TrackerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && List.of("start", "stop", "status").contains(args[0])) {
            System.exit(manageHomeTracker(args[0], TrackerConfig.yardstickHome()));
            return;
        }
        boolean serveHome = Arrays.asList(args).contains(HomeTracker.SERVE_HOME_OPTION);
        String[] options = Arrays.stream(args).filter(a -> !a.equals(HomeTracker.SERVE_HOME_OPTION)).toArray(String[]::new);
        TrackerConfig config;
        try {
            config = TrackerConfig.parse(options, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // In the foreground on the home's own store, this is the home's tracker: kernels find it through the home's
        // file instead of starting a second server on the same store.
        boolean homeStore = config.store().equals(TrackerConfig.defaults().store()) && config.artifactRoot() == null;
        if (!serveHome && homeStore) {
            var running = HomeTracker.running(TrackerConfig.yardstickHome());
            if (running.isPresent()) {
                System.err.println("yardstick tracker: " + TrackerConfig.yardstickHome() + " is already served at "
                        + running.get().url() + "/ (pid " + running.get().pid() + "); open it there, stop it with"
                        + " `yardstick tracker stop`, or give --store for another store");
                System.exit(1);
                return;
            }
        }
        TrackerServer server;
        HomeServing serving = null;
        try {
            if (serveHome || homeStore) {
                serving = HomeServing.start(config, TrackerConfig.yardstickHome(), !serveHome);
                server = serving.server();
            } else {
                server = TrackerServer.start(config);
            }
        } catch (RuntimeException | java.io.IOException e) {
            System.err.println("yardstick tracker: " + e.getMessage());
            System.exit(1);
            return;
        }
        AutoCloseable closer = serving != null ? serving : server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                closer.close();
            } catch (Exception e) {
                // exiting anyway
            }
        }, "tracker-shutdown"));
        // Scripts and tests wait for this line to know the port is open.
        System.out.println("Yardstick tracker listening on " + server.uri() + " (store " + server.store().describe()
                + ", artifacts " + server.artifacts().root() + ")");
        System.out.flush();
        if (serving != null) {
            serving.awaitOrphaned();
            System.out.println("Yardstick tracker: " + TrackerConfig.yardstickHome() + " is gone or served by another tracker; stopping");
            System.exit(0);
        }
        new CountDownLatch(1).await();
    }

    private static int manageHomeTracker(String command, Path home) {
        try {
            switch (command) {
                case "start" -> System.out.println("Yardstick tracker: " + HomeTracker.ensure(home) + "/ (home " + home + ")");
                case "stop" -> System.out.println(HomeTracker.stop(home) ? "Yardstick tracker of " + home + " stopped"
                        : "No tracker was serving " + home);
                default -> {
                    var running = HomeTracker.running(home);
                    System.out.println(running.map(f -> "Yardstick tracker: " + f.url() + "/ (pid " + f.pid() + ", home " + home + ")")
                            .orElse("No tracker is serving " + home));
                    return running.isPresent() ? 0 : 3;
                }
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println("yardstick tracker " + command + ": " + e.getMessage());
            return 1;
        }
    }
}
