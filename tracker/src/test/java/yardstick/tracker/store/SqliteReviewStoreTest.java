package yardstick.tracker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import yardstick.tracker.TestFiles;

/** The review store suite on SQLite. */
class SqliteReviewStoreTest extends AbstractReviewStoreTest {
    private Path dir;

    @Override
    protected SqlDialect newDatabase() {
        try {
            dir = Files.createTempDirectory("yardstick-reviews-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sameDatabase();
    }

    @Override
    protected SqlDialect sameDatabase() {
        return new SqliteDialect(dir.resolve("tracker.db"));
    }

    @AfterEach
    void removeFiles() {
        TestFiles.deleteTree(dir);
    }
}
