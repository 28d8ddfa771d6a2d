package yardstick.tracker.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * PostgreSQL's connections through HikariCP: a borrowed connection that sat idle is validated first, a dead
 * one (server restarted, connection cut by a firewall) replaced, waiting for a free connection is bounded, and
 * connections are renewed before the server or the network drops them.
 */
final class HikariPool implements ConnectionPool {
    /** How long a request waits for a free connection before the store answers TEMPORARILY_UNAVAILABLE. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(30);

    private final HikariDataSource dataSource;

    HikariPool(String jdbcUrl, Properties driverProperties, int size, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setDataSourceProperties(driverProperties);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(Duration.ofSeconds(5).toMillis());
        config.setIdleTimeout(Duration.ofMinutes(10).toMillis());
        config.setMaxLifetime(Duration.ofMinutes(30).toMillis());
        config.setKeepaliveTime(Duration.ofMinutes(2).toMillis());
        // Starting does not wait for the database: opening the store reports an unreachable server itself.
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        dataSource = new HikariDataSource(config);
    }

    @Override
    public Connection acquire() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void release(Connection c, boolean broken) {
        if (broken) {
            dataSource.evictConnection(c);
            return;
        }
        try {
            c.close(); // back to the pool, which resets what the work changed
        } catch (SQLException ignored) {
            // HikariCP drops a connection it cannot reset.
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
