package dev.caravan.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.caravan.config.StoreSettings;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The store's pooled connections (HikariCP), with the schema created or migrated by Flyway from
 * {@code classpath:db/migration} before the first use. Several API nodes may start at once: Flyway serialises
 * their migrations with a lock in the database.
 */
public final class StoreDatabase implements AutoCloseable {

    private final HikariDataSource pool;

    private StoreDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Connects and migrates.
     *
     * @throws org.flywaydb.core.api.FlywayException when the schema cannot be migrated
     * @throws com.zaxxer.hikari.pool.HikariPool.PoolInitializationException when the database cannot be reached
     *         after the migration
     */
    public static StoreDatabase open(StoreSettings settings) {
        // Migrated over a connection of its own first: a pool whose connections select a schema that does not exist
        // yet could not start.
        Flyway.configure().dataSource(settings.url(), settings.username(), settings.password())
                .schemas(settings.schema()).defaultSchema(settings.schema()).load().migrate();
        return new StoreDatabase(new HikariDataSource(config(settings)));
    }

    /**
     * A pool that connects on first use only, and no migration: for a worker-only node, which binds the API's beans
     * (YAML routes are built whatever the role) but never starts those routes, so never touches the database.
     */
    public static StoreDatabase unopened(StoreSettings settings) {
        HikariDataSource pool = new HikariDataSource();
        config(settings).copyStateTo(pool);
        return new StoreDatabase(pool);
    }

    private static HikariConfig config(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        if (!settings.username().isEmpty()) {
            config.setUsername(settings.username());
        }
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        config.setSchema(settings.schema());
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("caravan-store");
        // Fail at once, not after Hikari's 30 s, when the database is down: the results wait in their queue.
        config.setConnectionTimeout(2_000);
        return config;
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
