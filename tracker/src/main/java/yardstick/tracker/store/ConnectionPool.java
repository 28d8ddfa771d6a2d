package yardstick.tracker.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Where the store borrows its connections: HikariCP for PostgreSQL, {@link SimplePool} for SQLite. */
interface ConnectionPool extends AutoCloseable {
    /** A connection, waiting for one to be free up to the pool's limit; fails when none comes in time. */
    Connection acquire() throws SQLException;

    /** Gives {@code c} back; a broken one is closed and dropped instead of reused. */
    void release(Connection c, boolean broken);

    @Override
    void close();
}
