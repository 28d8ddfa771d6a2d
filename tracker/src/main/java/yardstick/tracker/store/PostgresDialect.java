package yardstick.tracker.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** PostgreSQL through its JDBC driver, for a tracker several people share. */
public final class PostgresDialect implements SqlDialect {
    private final String url;

    public PostgresDialect(String jdbcUrl) {
        this.url = jdbcUrl;
    }

    @Override
    public Connection open() throws SQLException {
        return DriverManager.getConnection(url, driverProperties());
    }

    private static Properties driverProperties() {
        Properties props = new Properties();
        // One round trip per log-batch instead of one per row.
        props.setProperty("reWriteBatchedInserts", "true");
        return props;
    }

    @Override
    public ConnectionPool newPool(int size) {
        return new HikariPool(url, driverProperties(), size, "yardstick-tracker-postgres");
    }

    @Override
    public String autoIdColumn() {
        return "BIGSERIAL PRIMARY KEY";
    }

    @Override
    public String doubleType() {
        return "DOUBLE PRECISION";
    }

    @Override
    public boolean serializesWrites() {
        return false;
    }

    @Override
    public String like(String column, boolean caseSensitive) {
        return column + (caseSensitive ? " LIKE ?" : " ILIKE ?");
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    @Override
    public String metricLogOrder() {
        return "seq";
    }

    @Override
    public java.util.List<String> metricLogOrderDdl() {
        // Points stored before this column existed are numbered in whatever order the table scan meets them.
        return java.util.List.of("ALTER TABLE metrics ADD COLUMN seq BIGSERIAL",
                "CREATE INDEX metrics_logged ON metrics (run_uuid, key, seq)");
    }

    @Override
    public boolean isStatementTooLarge(SQLException e) {
        // 54001: statement too complex (stack depth); the driver refuses more than 65535 bind values itself.
        return "54001".equals(e.getSQLState()) || String.valueOf(e.getMessage()).contains("Tried to send an out-of-range integer");
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String describe() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
