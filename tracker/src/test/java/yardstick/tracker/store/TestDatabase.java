package yardstick.tracker.store;

/** Where a store suite gets its databases, one kind per implementation, so the suites run unchanged on every back end. */
interface TestDatabase {
    /** A dialect for a fresh, empty database. */
    SqlDialect newDatabase();

    /** A second dialect on the same database as the last {@link #newDatabase()}, to reopen it. */
    SqlDialect sameDatabase();

    /** Removes what the databases left behind; called once after each test, when the store is closed. */
    void close();
}
