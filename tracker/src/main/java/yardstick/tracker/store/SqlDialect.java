package yardstick.tracker.store;

import java.sql.Connection;
import java.sql.SQLException;

/** What differs between the SQL databases the store runs on; everything else is shared SQL. */
public interface SqlDialect {
    /** Opens a new, configured connection. */
    Connection open() throws SQLException;

    /** Column definition for an auto-numbered primary key. */
    String autoIdColumn();

    /** The 64-bit floating point column type. */
    String doubleType();

    /**
     * Whether this process must serialize write transactions itself: SQLite allows one writer at a
     * time, and a lock in the JVM is cheaper than retrying on SQLITE_BUSY.
     */
    boolean serializesWrites();

    /** A predicate on {@code column} with one {@code ?} for the pattern from {@link #likePattern}. */
    String like(String column, boolean caseSensitive);

    /** MLflow's LIKE pattern (% and _) rewritten for {@link #like}. */
    default String likePattern(String pattern, boolean caseSensitive) {
        return pattern;
    }

    boolean isUniqueViolation(SQLException e);

    /** The pool the store borrows connections from, at most {@code size} at once. */
    default ConnectionPool newPool(int size) {
        return new SimplePool(this, size);
    }

    /** The column of {@code metrics} that grows with each point logged, so ordering by it gives logging order. */
    String metricLogOrder();

    /** The statements that add (where needed) and index {@link #metricLogOrder()} per run and key. */
    java.util.List<String> metricLogOrderDdl();

    /** Whether the database refused a statement for its size (too deep, too many joins or bind values). */
    default boolean isStatementTooLarge(SQLException e) {
        return false;
    }

    /** A short name for messages, such as "sqlite". */
    String name();

    /** Where the database is, without credentials. */
    String describe();
}
