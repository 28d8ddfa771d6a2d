package yardstick.tracker.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.tracking.MlflowClient;
import yardstick.tracker.RunningTracker;

/** Eight MLflow clients logging at once, over loopback: every point arrives, exactly once. */
class ConcurrentLoggingTest {
    private static final int CLIENTS = 8;
    private static RunningTracker tracker;

    @BeforeAll
    static void start() {
        tracker = new RunningTracker();
    }

    @AfterAll
    static void stop() {
        tracker.close();
    }

    private static void runAll(List<Callable<Void>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> w : work) {
                futures.add(pool.submit(w));
            }
            for (Future<Void> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(180)
    void eightClientsLogTenThousandPointsEachAndLoseNone() throws Exception {
        String experiment = new MlflowClient(tracker.uri()).createExperiment("load");
        List<String> runIds = new ArrayList<>();
        List<Callable<Void>> work = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            MlflowClient client = new MlflowClient(tracker.uri());
            String runId = client.createRun(experiment).getRunId();
            runIds.add(runId);
            int clientNo = c;
            work.add(() -> {
                List<Metric> batch = new ArrayList<>();
                for (int step = 0; step < 10_000; step++) {
                    batch.add(Metric.newBuilder().setKey("loss").setValue(clientNo * 1e6 + step).setTimestamp(step).setStep(step).build());
                    if (batch.size() == 250) {
                        client.logBatch(runId, batch, List.of(), List.of());
                        batch.clear();
                    }
                }
                client.close();
                return null;
            });
        }
        runAll(work);
        MlflowClient reader = new MlflowClient(tracker.uri());
        for (int c = 0; c < CLIENTS; c++) {
            List<Metric> history = reader.getMetricHistory(runIds.get(c), "loss");
            assertEquals(10_000, history.size(), "client " + c);
            for (int step = 0; step < 10_000; step++) {
                assertEquals(step, history.get(step).getStep());
                assertEquals(c * 1e6 + step, history.get(step).getValue());
            }
            assertEquals(9_999, reader.getRun(runIds.get(c)).getData().getMetrics(0).getStep());
        }
        reader.close();
    }

    @Test
    @Timeout(180)
    void singleMetricRequestsFromEightClientsIntoOneRunLoseNone() throws Exception {
        MlflowClient setup = new MlflowClient(tracker.uri());
        String runId = setup.createRun().getRunId();
        int perClient = 250;
        List<Callable<Void>> work = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int clientNo = c;
            work.add(() -> {
                try (MlflowClient client = new MlflowClient(tracker.uri())) {
                    for (int i = 0; i < perClient; i++) {
                        client.logMetric(runId, "c" + clientNo, i, 1000 + i, i);
                    }
                }
                return null;
            });
        }
        runAll(work);
        for (int c = 0; c < CLIENTS; c++) {
            assertEquals(perClient, setup.getMetricHistory(runId, "c" + c).size());
        }
        assertEquals(CLIENTS, setup.getRun(runId).getData().getMetricsCount());
        setup.close();
    }
}
