package yardstick.tracker.store;

/** The review store suite on a real PostgreSQL server that the test starts itself. */
class PostgresReviewStoreTest extends AbstractReviewStoreTest {
    PostgresReviewStoreTest() {
        super(new PostgresTestDatabase());
    }
}
