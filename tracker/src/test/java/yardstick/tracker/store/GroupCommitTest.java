package yardstick.tracker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import yardstick.tracker.TestFiles;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.Metric;
import yardstick.tracker.model.MlflowException;
import yardstick.tracker.model.Param;
import yardstick.tracker.model.Tag;

/** SQLite's group commit: writes that share one transaction still succeed, fail and roll back one by one. */
class GroupCommitTest {
    private Path dir;
    private SqliteDialect dialect;
    private GroupCommit group;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("yardstick-group-");
        dialect = new SqliteDialect(dir.resolve("g.db"));
        try (Connection c = dialect.open(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE points (id INTEGER PRIMARY KEY, writer TEXT NOT NULL)");
        }
        group = new GroupCommit(dialect::open, e -> new MlflowException(ErrorCode.INTERNAL_ERROR, e.getMessage()), "test-writer");
    }

    @AfterEach
    void close() {
        group.close();
        TestFiles.deleteTree(dir);
    }

    private static int insert(Connection c, long id, String writer) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO points (id, writer) VALUES (?, ?)")) {
            p.setLong(1, id);
            p.setString(2, writer);
            return p.executeUpdate();
        }
    }

    /** What another connection sees: only committed rows. */
    private Set<String> committedWriters() throws SQLException {
        Set<String> writers = new HashSet<>();
        try (Connection c = dialect.open(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT writer FROM points")) {
            while (rs.next()) {
                writers.add(rs.getString(1));
            }
        }
        return writers;
    }

    private long countOf(String writer) throws SQLException {
        try (Connection c = dialect.open(); PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM points WHERE writer = ?")) {
            p.setString(1, writer);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Holds the writer thread in a first write until {@code queued} more writes wait behind it, so those
     * are certain to run as one group.
     */
    private List<Future<Object>> oneGroup(ExecutorService pool, List<JdbcTrackerStore.SqlWork<Object>> works) throws Exception {
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> holder = pool.submit(() -> group.submit(c -> {
            writerBusy.countDown();
            await(release);
            return insert(c, 1, "holder");
        }));
        assertTrue(writerBusy.await(10, TimeUnit.SECONDS));
        List<Future<Object>> futures = new ArrayList<>();
        for (var work : works) {
            futures.add(pool.submit(() -> group.submit(work)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (group.pending() < works.size()) {
            assertTrue(System.nanoTime() < deadline, "writes never queued");
            Thread.sleep(1);
        }
        // Nothing is committed before the group's transaction ends.
        assertEquals(Set.of(), committedWriters());
        release.countDown();
        assertEquals(1, holder.get(10, TimeUnit.SECONDS));
        return futures;
    }

    @Test
    void aFailingWriteInAGroupRollsBackAloneAndTheOthersCommit() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Object>> f = oneGroup(pool, List.of(
                    c -> insert(c, 10, "a") + insert(c, 11, "a"),
                    c -> {
                        // Half of a batch is written, then the batch fails: none of it may stay.
                        insert(c, 20, "b");
                        insert(c, 21, "b");
                        throw MlflowException.invalidParameter("batch b is bad");
                    },
                    c -> insert(c, 30, "c"),
                    c -> {
                        insert(c, 40, "d");
                        return insert(c, 1, "d"); // primary key taken by the holder: a database error
                    },
                    c -> insert(c, 50, "e")));
            assertEquals(2, f.get(0).get(10, TimeUnit.SECONDS));
            var bad = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(1).get(10, TimeUnit.SECONDS));
            assertEquals("batch b is bad", bad.getCause().getMessage());
            assertEquals(1, f.get(2).get(10, TimeUnit.SECONDS));
            var dbError = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(3).get(10, TimeUnit.SECONDS));
            assertEquals(ErrorCode.INTERNAL_ERROR, ((MlflowException) dbError.getCause()).code());
            assertEquals(1, f.get(4).get(10, TimeUnit.SECONDS));
        }
        assertEquals(Set.of("holder", "a", "c", "e"), committedWriters());
        assertEquals(2, countOf("a"));
        assertEquals(0, countOf("b"));
        assertEquals(0, countOf("d"));
    }

    @Test
    void anErrorThrownByWorkFailsOnlyThatWrite() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Object>> f = oneGroup(pool, List.of(
                    c -> {
                        insert(c, 60, "f");
                        throw new StackOverflowError("deep");
                    },
                    c -> insert(c, 70, "g")));
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(0).get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof StackOverflowError);
            assertEquals(1, f.get(1).get(10, TimeUnit.SECONDS));
        }
        assertEquals(Set.of("holder", "g"), committedWriters());
    }

    @Test
    void closeFinishesQueuedWritesAndThenRefusesNewOnes() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch writerBusy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Object> first = pool.submit(() -> group.submit(c -> {
                writerBusy.countDown();
                await(release);
                return insert(c, 1, "first");
            }));
            assertTrue(writerBusy.await(10, TimeUnit.SECONDS));
            Future<Object> queued = pool.submit(() -> group.submit(c -> insert(c, 2, "queued")));
            while (group.pending() < 1) {
                Thread.sleep(1);
            }
            Future<?> closing = pool.submit(group::close);
            release.countDown();
            closing.get(10, TimeUnit.SECONDS);
            assertEquals(1, first.get(10, TimeUnit.SECONDS));
            assertEquals(1, queued.get(10, TimeUnit.SECONDS));
        }
        assertEquals(Set.of("first", "queued"), committedWriters());
        var e = assertThrows(MlflowException.class, () -> group.submit(c -> insert(c, 3, "late")));
        assertEquals(ErrorCode.TEMPORARILY_UNAVAILABLE, e.code());
    }

    /** Through the store: 16 threads each logging single metrics and small batches concurrently lose nothing. */
    @Test
    void concurrentStoreWritesAreAllStoredAndABadOneFailsAlone() throws Exception {
        try (JdbcTrackerStore store = JdbcTrackerStore.open(new SqliteDialect(dir.resolve("store.db")), "mlflow-artifacts:")) {
            int threads = 16;
            int perThread = 200;
            List<String> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                runs.add(store.createRun("0", "u", 1L, null, List.of()).info().runId());
                store.logBatch(runs.get(t), List.of(), List.of(new Param("fixed", "1")), List.of());
            }
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                List<Future<Integer>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String runId = runs.get(t);
                    futures.add(pool.submit(() -> {
                        int refused = 0;
                        for (int i = 0; i < perThread; i++) {
                            if (i % 50 == 25) {
                                // Changing a logged param is refused; the metric in the same batch must not be stored.
                                try {
                                    store.logBatch(runId, List.of(new Metric("bad", 1, 1, i)), List.of(new Param("fixed", "2")), List.of());
                                } catch (MlflowException e) {
                                    assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
                                    refused++;
                                }
                            } else if (i % 2 == 0) {
                                store.logBatch(runId, List.of(new Metric("loss", i, 1000 + i, i)), List.of(), List.of());
                            } else {
                                store.logBatch(runId, List.of(new Metric("loss", i, 1000 + i, i)), List.of(),
                                        List.of(new Tag("last", Integer.toString(i))));
                            }
                        }
                        return refused;
                    }));
                }
                for (Future<Integer> f : futures) {
                    assertEquals(perThread / 50, f.get(60, TimeUnit.SECONDS));
                }
            }
            for (String runId : runs) {
                assertEquals(perThread - perThread / 50, store.getMetricHistory(runId, "loss", null, null).items().size());
                assertEquals(0, store.getMetricHistory(runId, "bad", null, null).items().size());
                var run = store.getRun(runId);
                assertEquals("199", run.tags().stream().filter(t -> t.key().equals("last")).findFirst().orElseThrow().value());
                assertEquals(199.0, run.latestMetrics().stream().filter(m -> m.key().equals("loss")).findFirst().orElseThrow().value());
            }
        }
    }
}
