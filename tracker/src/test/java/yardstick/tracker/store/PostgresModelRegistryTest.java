package yardstick.tracker.store;

/** The Model Registry suite on a real PostgreSQL server that the test starts itself. */
class PostgresModelRegistryTest extends AbstractModelRegistryTest {
    PostgresModelRegistryTest() {
        super(new PostgresTestDatabase());
    }
}
