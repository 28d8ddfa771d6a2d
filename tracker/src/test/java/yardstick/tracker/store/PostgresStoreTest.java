package yardstick.tracker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store suite on a real PostgreSQL server that the test starts itself. */
class PostgresStoreTest extends AbstractStoreTest<PostgresTestDatabase> {
    PostgresStoreTest() {
        super(new PostgresTestDatabase());
    }

    @Test
    void connectionsTheServerDroppedAreReplaced() throws Exception {
        String id = store.createRun("0", "tester", 1000, null, List.of()).info().runId();
        int killed;
        try (Connection admin = DriverManager.getConnection(database.url()); Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            killed = rs.getInt(1);
        }
        assertTrue(killed >= 1, "the store held no connection");
        // Past HikariCP's half second in which a connection just given back is trusted without a check.
        Thread.sleep(700);
        for (int i = 0; i < 20; i++) {
            assertEquals("Default", store.getExperiment("0").name());
        }
        assertEquals(id, store.getRun(id).info().runId());
        store.createRun("0", "tester", 1000, null, List.of());
    }

    @Test
    void aForeignDatabaseIsRefusedBeforeAnythingIsWritten() throws Exception {
        String other = PostgresServer.shared().newDatabase();
        try (Connection c = DriverManager.getConnection(other); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE invoices (id SERIAL PRIMARY KEY, total NUMERIC)");
        }
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> JdbcTrackerStore.open(new PostgresDialect(other), "mlflow-artifacts:"));
        assertTrue(e.getMessage().contains("not a Yardstick store") && e.getMessage().contains("invoices"), e.getMessage());
        try (Connection c = DriverManager.getConnection(other); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "no table was added");
        }
    }
}
