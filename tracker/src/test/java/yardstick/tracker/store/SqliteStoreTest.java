package yardstick.tracker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store suite on SQLite, plus what only SQLite has: one file in WAL mode. */
class SqliteStoreTest extends AbstractStoreTest<SqliteTestDatabase> {
    SqliteStoreTest() {
        // In subfolders that do not exist yet: the store creates them.
        super(new SqliteTestDatabase("nested/dir/tracker.db"));
    }

    @Test
    void chartSeriesIsReadFromTheCoveringIndexWithoutASort() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.file());
                var explain = c.prepareStatement("EXPLAIN QUERY PLAN " + JdbcTrackerStore.METRIC_SERIES_SQL)) {
            explain.setString(1, "r");
            explain.setString(2, "k");
            ResultSet rs = explain.executeQuery();
            StringBuilder plan = new StringBuilder();
            while (rs.next()) {
                plan.append(rs.getString("detail")).append('\n');
            }
            assertTrue(plan.toString().contains("USING COVERING INDEX metrics_point"), plan.toString());
            assertFalse(plan.toString().contains("TEMP B-TREE"), plan.toString());
        }
    }

    @Test
    void usesOneFileInWalModeWithAVersionedSchema() throws Exception {
        Path db = database.file();
        assertTrue(Files.isRegularFile(db));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
                rs.next();
                assertEquals(Schema.LATEST, rs.getInt(1));
            }
            s.execute("UPDATE schema_version SET version = " + (Schema.LATEST + 1));
        }
        store.close();
        // A database from a newer Yardstick is refused, not misread.
        assertThrows(RuntimeException.class, () -> JdbcTrackerStore.open(database.sameDatabase(), "mlflow-artifacts:"));
        store = JdbcTrackerStore.open(database.newDatabase(), "mlflow-artifacts:");
    }

    @Test
    void parsesStoreUrls() {
        Path dir = database.dir();
        assertTrue(StoreUrl.parse("sqlite:" + dir.resolve("a.db")) instanceof SqliteDialect);
        assertEquals(dir.resolve("b.db"), ((SqliteDialect) StoreUrl.parse("sqlite:///" + dir.resolve("b.db"))).file());
        assertEquals("jdbc:postgresql://h:5432/db",
                StoreUrl.parse("postgresql://u:p@h:5432/db").describe());
        assertTrue(StoreUrl.parse("jdbc:postgresql://h/db?user=x") instanceof PostgresDialect);
        assertThrows(IllegalArgumentException.class, () -> StoreUrl.parse("mysql://h/db"));
    }

    @Test
    void aDamagedFileIsAClearErrorBeforeAnythingIsServed() throws Exception {
        for (int i = 0; i < 300; i++) {
            String id = store.createRun("0", "tester", 1000, "run " + i, List.of()).info().runId();
            store.logBatch(id, List.of(), List.of(new yardstick.tracker.model.Param("p", "x".repeat(200))), List.of());
        }
        store.close();
        Path db = database.file();
        assertFalse(Files.exists(Path.of(db + "-wal")) && Files.size(Path.of(db + "-wal")) > 0, "checkpointed on close");
        try (var file = java.nio.channels.FileChannel.open(db, java.nio.file.StandardOpenOption.WRITE)) {
            byte[] junk = new byte[4096 * 4];
            new java.util.Random(7).nextBytes(junk);
            file.write(java.nio.ByteBuffer.wrap(junk), 4096L * 3);
        }
        RuntimeException e = assertThrows(RuntimeException.class, () -> JdbcTrackerStore.open(database.sameDatabase(), "mlflow-artifacts:"));
        assertTrue(e.getMessage().contains("is damaged") && e.getMessage().contains("quick_check"), e.getMessage());
        // The server does not start on it either, so nothing answers health checks with OK.
        RuntimeException server = assertThrows(RuntimeException.class, () -> yardstick.tracker.TrackerServer.start(
                yardstick.tracker.TrackerConfig.defaults().withPort(0).withStore("sqlite:" + db)
                        .withArtifactRoot(database.dir().resolve("artifacts"))));
        assertTrue(server.getMessage().contains("is damaged"), server.getMessage());
        store = JdbcTrackerStore.open(database.newDatabase(), "mlflow-artifacts:");
    }

    @Test
    void aForeignSqliteFileIsRefusedAndLeftUntouched() throws Exception {
        Path foreign = database.dir().resolve("other-app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO customers (name) VALUES ('Ada')");
        }
        byte[] before = Files.readAllBytes(foreign);
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> JdbcTrackerStore.open(new SqliteDialect(foreign), "mlflow-artifacts:"));
        assertTrue(e.getMessage().contains("not a Yardstick store") && e.getMessage().contains("customers"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, Files.readAllBytes(foreign), "the file is not written");
        assertFalse(Files.exists(Path.of(foreign + "-wal")));
        // An empty file is a new store, not a foreign one.
        Path empty = Files.createFile(database.dir().resolve("empty.db"));
        try (JdbcTrackerStore fresh = JdbcTrackerStore.open(new SqliteDialect(empty), "mlflow-artifacts:")) {
            assertEquals("Default", fresh.getExperiment("0").name());
        }
        try (JdbcTrackerStore again = JdbcTrackerStore.open(new SqliteDialect(empty), "mlflow-artifacts:")) {
            assertEquals("Default", again.getExperiment("0").name());
        }
    }
}
