package yardstick.tracker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import yardstick.tracker.TestFiles;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Run;
import yardstick.tracker.model.Tag;
import yardstick.tracker.model.ViewType;

/**
 * A SQLite store on a small tmpfs that runs out of space: writes fail while it is full, work again once
 * there is space, and a write is acknowledged exactly when it was stored.
 */
class DiskFullTest {
    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mountPoint = Files.createTempDirectory("yardstick-full-");
        mounted = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint.toString());
        Assumptions.assumeTrue(mounted, "needs root to mount a small tmpfs");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", mountPoint.toString());
        }
        TestFiles.deleteTree(mountPoint);
    }

    private static boolean run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** Fills the disk with a file of zeros and returns it; deleting it gives the space back. */
    private Path fill() {
        Path ballast = mountPoint.resolve("ballast");
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // Leave a little room, so that statements fit (in the page cache) and a commit is what runs out.
            try (var channel = java.nio.channels.FileChannel.open(ballast, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(Math.max(0, channel.size() - 48 * 1024));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return ballast;
        }
    }

    private static List<Param> params(int n) {
        List<Param> params = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            params.add(new Param("p" + i, ("value " + n + " ").repeat(40)));
        }
        return params;
    }

    @Test
    void writesWorkAgainOnceThereIsSpaceAndAnAcknowledgedWriteIsExactlyAStoredOne() throws Exception {
        Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        int refused = 0;
        try (JdbcTrackerStore store = JdbcTrackerStore.open(new SqliteDialect(mountPoint.resolve("tracker.db")), "mlflow-artifacts:")) {
            String experiment = store.createExperiment("full", null, List.of()).experimentId();
            Path ballast = fill();
            // One writer first: its statements fit in the page cache, so the first write to fail is a commit.
            for (int i = 0; i < 50; i++) {
                try {
                    Run r = store.createRun(experiment, "tester", 1000, null, List.of());
                    acknowledged.add(r.info().runId());
                    store.logBatch(r.info().runId(), List.of(), params(i), List.of());
                } catch (MlflowException e) {
                    refused++;
                    assertTrue(e.getMessage().contains("full"), e.getMessage());
                }
            }
            // Writers at once, so that the full disk meets both single writes and group commits, with
            // statements that fit in the page cache and fail only when the commit writes the log.
            Set<String> concurrentAcks = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
            List<String> unclear = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 100; i++) {
                        try {
                            Run r = store.createRun(experiment, "tester", 1000, null, List.of(new Tag("t", "" + thread)));
                            concurrentAcks.add(r.info().runId());
                            store.logBatch(r.info().runId(), List.of(), params(i), List.of());
                        } catch (MlflowException e) {
                            failures.incrementAndGet();
                            if (!e.getMessage().contains("full")) {
                                unclear.add(e.getMessage());
                            }
                        }
                    }
                }));
            }
            for (Thread w : writers) {
                w.join();
            }
            acknowledged.addAll(concurrentAcks);
            refused += failures.get();
            assertTrue(refused >= 10, "the disk never filled up");
            assertEquals(List.of(), unclear);

            Files.delete(ballast);
            // Every write works again, and each acknowledged one is there.
            for (int i = 0; i < 20; i++) {
                Run r = store.createRun(experiment, "tester", 1000, null, List.of(new Tag("after", "yes")));
                acknowledged.add(r.info().runId());
                store.logBatch(r.info().runId(), List.of(), params(i), List.of());
                assertEquals(20, store.getRun(r.info().runId()).params().size());
            }
            assertEquals(acknowledged, storedRuns(store, experiment));
        }
        // And after reopening: what was acknowledged is exactly what is stored.
        try (JdbcTrackerStore store = JdbcTrackerStore.open(new SqliteDialect(mountPoint.resolve("tracker.db")), "mlflow-artifacts:")) {
            String experiment = store.getExperimentByName("full").experimentId();
            assertEquals(acknowledged, storedRuns(store, experiment));
        }
    }

    private static Set<String> storedRuns(JdbcTrackerStore store, String experiment) {
        Set<String> ids = new HashSet<>();
        String token = null;
        do {
            var page = store.searchRuns(List.of(experiment), null, ViewType.ALL, 1000, List.of(), token);
            page.items().forEach(r -> ids.add(r.info().runId()));
            token = page.nextPageToken();
        } while (token != null);
        return ids;
    }
}
