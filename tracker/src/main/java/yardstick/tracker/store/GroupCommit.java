package yardstick.tracker.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import yardstick.tracker.model.ErrorCode;
import yardstick.tracker.model.MlflowException;

/**
 * Group commit for a database with one writer at a time (SQLite). Write transactions queue up; one
 * writer thread takes everything queued and runs it as one database transaction, each piece of work
 * inside its own savepoint. A caller returns only after the transaction holding its work has
 * committed, so an acknowledged write is exactly as durable as with a commit of its own. Work that
 * fails rolls back to its savepoint and fails alone: the rest of its group still commits, and none
 * of the failed work's rows remain. Many small concurrent writes then share one commit (one WAL
 * append, one lock hand-over) instead of each taking the write lock and committing in turn.
 */
final class GroupCommit implements AutoCloseable {
    /** Bounds a group so one commit never holds back its first caller for long. */
    static final int MAX_GROUP = 512;

    /** Opens the writer's connection; a fresh one replaces it after a failed commit. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    /** Touched by the writer thread only (and by close after it has stopped); null until reopened. */
    private Connection connection;
    private final Function<SQLException, MlflowException> errors;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Job<Void> stop = new Job<>(c -> null);
    private volatile boolean closed;

    /**
     * @param opener opens the writer's own connections, owned (and closed) by this object; the first opens here
     * @param errors how a database error becomes the caller's exception
     */
    GroupCommit(Opener opener, Function<SQLException, MlflowException> errors, String name) throws SQLException {
        this.opener = opener;
        this.errors = errors;
        this.connection = openConnection();
        // A platform thread: the SQLite driver works in native code, which would pin a virtual thread's carrier anyway.
        this.writer = Thread.ofPlatform().daemon().name(name).start(this::drain);
    }

    /** Runs {@code work} in the next group; returns its result once that group has committed. */
    <T> T submit(JdbcTrackerStore.SqlWork<T> work) {
        Job<T> job = new Job<>(work);
        // Under the lock, no write can be queued behind the stop marker, where nothing would answer it.
        synchronized (queue) {
            if (closed) {
                throw new MlflowException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Store unavailable: store is closed");
            }
            queue.add(job);
        }
        try {
            return job.done.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new MlflowException(ErrorCode.INTERNAL_ERROR, "Store error: " + cause);
        }
    }

    /** How many writes wait for the writer thread (for tests). */
    int pending() {
        return queue.size();
    }

    private void drain() {
        List<Job<?>> group = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() stops the writer, after the writes queued before it
            }
            queue.drainTo(group, MAX_GROUP - 1);
            stopping = group.remove(stop);
            if (!group.isEmpty()) {
                commitGroup(group);
            }
            group.clear();
        }
    }

    private Connection openConnection() throws SQLException {
        Connection c = opener.open();
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    private void commitGroup(List<Job<?>> group) {
        try {
            if (connection == null) {
                connection = openConnection();
            }
            for (Job<?> job : group) {
                runInSavepoint(job);
            }
            connection.commit();
        } catch (SQLException | RuntimeException | Error e) {
            // The commit itself (or savepoint bookkeeping) failed, so none of the group is stored. Each
            // piece of work is retried in a transaction of its own, so one cannot fail the others.
            discardConnection();
            if (group.size() == 1) {
                group.getFirst().failure = e instanceof SQLException s ? errors.apply(s) : e;
            } else {
                for (Job<?> job : group) {
                    commitGroup(List.of(job));
                }
                return;
            }
        }
        for (Job<?> job : group) {
            job.finish();
        }
    }

    private void runInSavepoint(Job<?> job) throws SQLException {
        job.failure = null;
        Savepoint savepoint = connection.setSavepoint();
        try {
            job.run(connection);
        } catch (SQLException e) {
            rollbackTo(savepoint, e);
            job.failure = errors.apply(e);
        } catch (RuntimeException | Error e) {
            rollbackTo(savepoint, e);
            job.failure = e;
        }
        connection.releaseSavepoint(savepoint);
    }

    /** Rolls back to {@code savepoint}; where SQLite already rolled the whole transaction back, fails with the cause. */
    private void rollbackTo(Savepoint savepoint, Throwable cause) throws SQLException {
        try {
            connection.rollback(savepoint);
        } catch (SQLException e) {
            if (cause instanceof SQLException s) {
                s.addSuppressed(e);
                throw s;
            }
            throw e;
        }
    }

    /**
     * Rolls back and drops the writer's connection. After a failed commit SQLite may already have rolled the
     * transaction back by itself (SQLITE_FULL, SQLITE_IOERR), and the driver's idea of the transaction no longer
     * matches the database's: on that connection the next savepoint would open and commit a transaction of its
     * own and the commit after it fail, so a write would be stored yet answered with an error. The next group
     * opens a fresh connection.
     */
    private void discardConnection() {
        Connection c = connection;
        connection = null;
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // Closing discards whatever is left of the transaction.
        }
        closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // The connection is discarded either way.
        }
    }

    /** Finishes the writes already queued, then stops the writer and closes its connection. */
    @Override
    public void close() {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(stop);
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (connection != null) {
            closeQuietly(connection); // nothing is pending on it any more
        }
    }

    private static final class Job<T> {
        final JdbcTrackerStore.SqlWork<T> work;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        Throwable failure;

        Job(JdbcTrackerStore.SqlWork<T> work) {
            this.work = work;
        }

        void run(Connection c) throws SQLException {
            result = work.run(c);
        }

        void finish() {
            if (failure == null) {
                done.complete(result);
            } else {
                done.completeExceptionally(failure);
            }
        }
    }
}
