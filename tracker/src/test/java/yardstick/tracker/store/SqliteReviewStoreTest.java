package yardstick.tracker.store;

/** The review store suite on SQLite. */
class SqliteReviewStoreTest extends AbstractReviewStoreTest {
    SqliteReviewStoreTest() {
        super(new SqliteTestDatabase());
    }
}
