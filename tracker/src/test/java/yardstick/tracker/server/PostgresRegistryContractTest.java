package yardstick.tracker.server;

import yardstick.tracker.TrackerConfig;
import yardstick.tracker.store.PostgresServer;

/** The registry contract on a tracker whose store is a real PostgreSQL server the test starts. */
class PostgresRegistryContractTest extends AbstractRegistryContractTest {
    @Override
    protected TrackerConfig configure(TrackerConfig config) {
        return config.withStore(PostgresServer.shared().newDatabase());
    }
}
