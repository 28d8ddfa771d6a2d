package yardstick.tracker.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.tracking.MlflowClient;
import yardstick.tracker.TestFiles;
import yardstick.tracker.TrackerProcess;
import yardstick.tracker.model.Run;
import yardstick.tracker.store.JdbcTrackerStore;
import yardstick.tracker.store.SqliteDialect;

/**
 * {@code kill -9} during a log-batch storm: after a restart the store opens, every acknowledged batch
 * is there whole, and no batch is half there.
 */
class CrashRecoveryTest {
    private static final int WRITERS = 4;
    private static final int POINTS_PER_BATCH = 100;
    private Path dir;

    @BeforeEach
    void makeDir() throws Exception {
        dir = Files.createTempDirectory("yardstick-crash-");
    }

    @AfterEach
    void removeDir() {
        TestFiles.deleteTree(dir);
    }

    @Test
    @Timeout(240)
    void killDuringABatchStormLosesNoAcknowledgedBatchAndLeavesNoHalfBatch() throws Exception {
        String runId;
        Map<String, Set<Integer>> acknowledged = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> attempted = new ConcurrentHashMap<>();
        for (int cycle = 0; cycle < 2; cycle++) {
            int round = cycle;
            try (TrackerProcess tracker = TrackerProcess.start(dir)) {
                assertTrue(tracker.startMillis < 20_000, "started in " + tracker.startMillis + " ms");
                MlflowClient setup = new MlflowClient(tracker.uri);
                runId = setup.searchRuns(List.of("0"), null).stream().findFirst().map(r -> r.getRunId())
                        .orElseGet(() -> setup.createRun().getRunId());
                String id = runId;
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    String key = "r" + round + "w" + w;
                    acknowledged.put(key, ConcurrentHashMap.newKeySet());
                    attempted.put(key, new AtomicInteger());
                    writers.add(Thread.ofPlatform().start(() -> storm(tracker.uri, id, key, stop, acknowledged.get(key),
                            attempted.get(key))));
                }
                // Let the storm build, then kill the server in the middle of it.
                long deadline = System.currentTimeMillis() + 20_000;
                while (acknowledged.entrySet().stream().filter(e -> e.getKey().startsWith("r" + round))
                        .mapToInt(e -> e.getValue().size()).sum() < 40 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                tracker.kill();
                stop.set(true);
                for (Thread t : writers) {
                    t.join(30_000);
                }
                setup.close();
            }
        }

        // The store opens after the crash (WAL recovery) and holds only whole batches.
        try (JdbcTrackerStore store = JdbcTrackerStore.open(new SqliteDialect(dir.resolve("tracker.db")), "mlflow-artifacts:")) {
            Run run = store.searchRuns(List.of("0"), null, yardstick.tracker.model.ViewType.ALL, 10, List.of(), null).items().getFirst();
            Set<String> params = new java.util.HashSet<>(run.params().stream().map(p -> p.key()).toList());
            int totalAcknowledged = 0;
            for (String key : acknowledged.keySet()) {
                Map<Integer, Integer> pointsPerBatch = new HashMap<>();
                for (var m : store.getMetricHistory(run.info().runId(), key, null, null).items()) {
                    pointsPerBatch.merge((int) (m.step() / POINTS_PER_BATCH), 1, Integer::sum);
                }
                for (int batch = 0; batch < attempted.get(key).get(); batch++) {
                    int points = pointsPerBatch.getOrDefault(batch, 0);
                    boolean paramThere = params.contains(key + "_b" + batch);
                    assertTrue(points == 0 || points == POINTS_PER_BATCH, key + " batch " + batch + " is half there: " + points);
                    assertEquals(points == POINTS_PER_BATCH, paramThere, key + " batch " + batch + ": metrics and param disagree");
                    if (acknowledged.get(key).contains(batch)) {
                        assertEquals(POINTS_PER_BATCH, points, key + " acknowledged batch " + batch + " was lost");
                        totalAcknowledged++;
                    }
                }
            }
            assertTrue(totalAcknowledged >= 80, "the storm acknowledged " + totalAcknowledged + " batches");
        }
    }

    private static void storm(String uri, String runId, String key, AtomicBoolean stop, Set<Integer> acknowledged,
            AtomicInteger attempted) {
        try (MlflowClient client = new MlflowClient(uri)) {
            for (int batch = 0; !stop.get(); batch++) {
                List<Metric> points = new ArrayList<>();
                for (int i = 0; i < POINTS_PER_BATCH; i++) {
                    long step = (long) batch * POINTS_PER_BATCH + i;
                    points.add(Metric.newBuilder().setKey(key).setValue(step).setTimestamp(step).setStep(step).build());
                }
                attempted.set(batch + 1);
                try {
                    client.logBatch(runId, points, List.of(Param.newBuilder().setKey(key + "_b" + batch).setValue("ok").build()),
                            List.of());
                } catch (RuntimeException e) {
                    return; // The server is gone: this batch was never acknowledged.
                }
                acknowledged.add(batch);
            }
        }
    }
}
