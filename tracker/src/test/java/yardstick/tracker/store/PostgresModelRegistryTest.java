package yardstick.tracker.store;

/** The Model Registry suite on a real PostgreSQL server that the test starts itself. */
class PostgresModelRegistryTest extends AbstractModelRegistryTest {
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
