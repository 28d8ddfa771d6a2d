package yardstick.tracker.store;

/** PostgreSQL databases on the server all tests share; it deletes them all when the test JVM exits. */
final class PostgresTestDatabase implements TestDatabase {
    private String url;

    @Override
    public SqlDialect newDatabase() {
        url = PostgresServer.shared().newDatabase();
        return sameDatabase();
    }

    @Override
    public SqlDialect sameDatabase() {
        return new PostgresDialect(url);
    }

    /** The JDBC URL of the last {@link #newDatabase()}, for a test's own connections to it. */
    String url() {
        return url;
    }

    @Override
    public void close() {
        // Nothing to do: the server and its databases go when the JVM exits.
    }
}
