package yardstick.tracker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import yardstick.tracker.TestFiles;

/** SQLite databases, each a file in its own temporary folder; all the folders are deleted on {@link #close()}. */
final class SqliteTestDatabase implements TestDatabase {
    private final String file;
    // Every folder, not just the last: a test may ask for a fresh database again after the first.
    private final List<Path> dirs = new ArrayList<>();

    SqliteTestDatabase() {
        this("tracker.db");
    }

    /** {@code file} is relative to the folder; one in subfolders checks that the store creates them. */
    SqliteTestDatabase(String file) {
        this.file = file;
    }

    @Override
    public SqlDialect newDatabase() {
        try {
            dirs.add(Files.createTempDirectory("yardstick-sqlite-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sameDatabase();
    }

    @Override
    public SqlDialect sameDatabase() {
        return new SqliteDialect(file());
    }

    /** The folder of the last {@link #newDatabase()}, for a test's own files beside the database. */
    Path dir() {
        return dirs.getLast();
    }

    /** The database file of the last {@link #newDatabase()}. */
    Path file() {
        return dir().resolve(file);
    }

    @Override
    public void close() {
        dirs.forEach(TestFiles::deleteTree);
        dirs.clear();
    }
}
