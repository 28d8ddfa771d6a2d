package yardstick.tracker.store;

/** The store suite on a real PostgreSQL server that the test starts itself. */
class PostgresStoreTest extends AbstractStoreTest {
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
