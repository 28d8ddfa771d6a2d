package yardstick.tracker.server;

import yardstick.tracker.TrackerConfig;

/** The registry contract on the default store, SQLite. */
class SqliteRegistryContractTest extends AbstractRegistryContractTest {
    @Override
    protected TrackerConfig configure(TrackerConfig config) {
        return config;
    }
}
