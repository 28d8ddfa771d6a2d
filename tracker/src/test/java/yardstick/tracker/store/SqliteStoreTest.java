package yardstick.tracker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import yardstick.tracker.TestFiles;

/** The store suite on SQLite, plus what only SQLite has: one file in WAL mode. */
class SqliteStoreTest extends AbstractStoreTest {
    private Path dir;

    @Override
    protected SqlDialect newDatabase() {
        try {
            dir = Files.createTempDirectory("yardstick-sqlite-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sameDatabase();
    }

    @Override
    protected SqlDialect sameDatabase() {
        return new SqliteDialect(dir.resolve("nested/dir/tracker.db"));
    }

    @AfterEach
    void removeFiles() {
        TestFiles.deleteTree(dir);
    }

    @Test
    void usesOneFileInWalModeWithAVersionedSchema() throws Exception {
        Path db = dir.resolve("nested/dir/tracker.db");
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
        assertThrows(RuntimeException.class, () -> JdbcTrackerStore.open(sameDatabase(), "mlflow-artifacts:"));
        store = JdbcTrackerStore.open(newDatabase(), "mlflow-artifacts:");
    }

    @Test
    void parsesStoreUrls() {
        assertTrue(StoreUrl.parse("sqlite:" + dir.resolve("a.db")) instanceof SqliteDialect);
        assertEquals(dir.resolve("b.db"), ((SqliteDialect) StoreUrl.parse("sqlite:///" + dir.resolve("b.db"))).file());
        assertEquals("jdbc:postgresql://h:5432/db",
                StoreUrl.parse("postgresql://u:p@h:5432/db").describe());
        assertTrue(StoreUrl.parse("jdbc:postgresql://h/db?user=x") instanceof PostgresDialect);
        assertThrows(IllegalArgumentException.class, () -> StoreUrl.parse("mysql://h/db"));
    }
}
