package yardstick.tracker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** SQLite in one file, in WAL mode so readers never wait for the writer. */
public final class SqliteDialect implements SqlDialect {
    private final Path file;
    private volatile boolean checked;

    public SqliteDialect(Path file) {
        this.file = file.toAbsolutePath();
        try {
            if (this.file.getParent() != null) {
                Files.createDirectories(this.file.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public Connection open() throws SQLException {
        if (!checked) {
            checkBeforeFirstUse();
        }
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            // NORMAL in WAL mode: a commit survives the process being killed; only an OS crash may lose the last ones.
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=30000");
            s.execute("PRAGMA cache_size=-16000");
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * Before the first connection switches the file to WAL mode (which writes to it): refuses a damaged file
     * and one that holds another application's tables, so neither is touched.
     */
    private synchronized void checkBeforeFirstUse() throws SQLException {
        if (checked) {
            return;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            checkIntegrity(c);
            Schema.refuseForeignDatabase(c, this);
        }
        checked = true;
    }

    @Override
    public String autoIdColumn() {
        return "INTEGER PRIMARY KEY AUTOINCREMENT";
    }

    @Override
    public String doubleType() {
        return "REAL";
    }

    @Override
    public boolean serializesWrites() {
        return true;
    }

    @Override
    public String like(String column, boolean caseSensitive) {
        // SQLite's LIKE ignores ASCII case; GLOB is case-sensitive, so LIKE patterns are translated to it.
        return caseSensitive ? column + " GLOB ?" : "LOWER(" + column + ") LIKE LOWER(?)";
    }

    @Override
    public String likePattern(String pattern, boolean caseSensitive) {
        if (!caseSensitive) {
            return pattern;
        }
        StringBuilder glob = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '%' -> glob.append('*');
                case '_' -> glob.append('?');
                case '*', '?', '[' -> glob.append('[').append(c).append(']');
                default -> glob.append(c);
            }
        }
        return glob.toString();
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_CONSTRAINT_UNIQUE") || m.contains("SQLITE_CONSTRAINT_PRIMARYKEY");
    }

    /** PRAGMA quick_check reads every page (not the indexes' contents against their tables), linear in the file's size. */
    private void checkIntegrity(Connection c) throws SQLException {
        List<String> problems = new java.util.ArrayList<>();
        try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("PRAGMA quick_check(5)")) {
            while (rs.next()) {
                problems.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw corrupt(e.getMessage());
        }
        if (!problems.equals(List.of("ok"))) {
            throw corrupt(String.join("; ", problems));
        }
    }

    private SQLException corrupt(String detail) {
        return new SQLException("The SQLite store " + file + " is damaged (PRAGMA quick_check: " + detail
                + "). Restore it from a backup, or try the sqlite3 shell's .recover into a new file.");
    }

    @Override
    public String metricLogOrder() {
        // The table has no INTEGER PRIMARY KEY, so a new row's rowid is above every row's still in it.
        return "rowid";
    }

    @Override
    public java.util.List<String> metricLogOrderDdl() {
        // An index entry ends with the rowid, so this index returns one key's points already in rowid order.
        return java.util.List.of("CREATE INDEX metrics_logged ON metrics (run_uuid, key)");
    }

    @Override
    public boolean isStatementTooLarge(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_TOOBIG") || m.contains("Expression tree is too large") || m.contains("too many")
                || m.contains("at most 64 tables in a join");
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String describe() {
        return "sqlite:" + file;
    }
}
