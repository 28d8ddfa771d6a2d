package yardstick.tracker.store;

/** The review store suite on a real PostgreSQL server that the test starts itself. */
class PostgresReviewStoreTest extends AbstractReviewStoreTest {
    private String url;

    @Override
    protected SqlDialect newDatabase() {
        url = PostgresServer.shared().newDatabase();
        return new PostgresDialect(url);
    }

    @Override
    protected SqlDialect sameDatabase() {
        return new PostgresDialect(url);
    }
}
