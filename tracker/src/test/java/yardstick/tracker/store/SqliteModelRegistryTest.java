package yardstick.tracker.store;

/** The Model Registry suite on SQLite. */
class SqliteModelRegistryTest extends AbstractModelRegistryTest {
    SqliteModelRegistryTest() {
        super(new SqliteTestDatabase());
    }
}
