package yardstick.tracker.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A small bounded pool for SQLite; connections open lazily, so starting a store costs one connection. SQLite
 * keeps this rather than HikariCP: its connections are to a local file (nothing to time out, validate or
 * reconnect), every connection needs the dialect's PRAGMAs and its first the dialect's checks before WAL is
 * switched on, and its writes do not use the pool at all (one group-commit connection).
 */
final class SimplePool implements ConnectionPool {
    private final SqlDialect dialect;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final List<Connection> all = new ArrayList<>();
    private volatile boolean closed;

    SimplePool(SqlDialect dialect, int size) {
        this.dialect = dialect;
        this.permits = new Semaphore(size, true);
    }

    @Override
    public Connection acquire() throws SQLException {
        if (closed) {
            throw new SQLException("store is closed");
        }
        permits.acquireUninterruptibly();
        Connection c = idle.pollFirst();
        if (c != null) {
            return c;
        }
        try {
            c = dialect.open();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
        synchronized (all) {
            all.add(c);
        }
        return c;
    }

    /** Returns a connection; a broken one is closed and dropped instead. */
    @Override
    public void release(Connection c, boolean broken) {
        if (broken || closed) {
            closeQuietly(c);
            synchronized (all) {
                all.remove(c);
            }
        } else {
            idle.addFirst(c);
        }
        permits.release();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (all) {
            for (Connection c : all) {
                closeQuietly(c);
            }
            all.clear();
        }
        idle.clear();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // Closing is best effort: the connection is discarded either way.
        }
    }
}
