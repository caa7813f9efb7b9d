package dev.caravan.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A job store of a test's own: a uniquely named schema in the machine's PostgreSQL (127.0.0.1:5432, database
 * {@code test}, trust authentication; scripts/ensure-postgresql.sh starts it), or a private in-memory H2 database,
 * dropped on close.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String POSTGRESQL_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String url;
    private final String username;
    private final String schema = "caravan_test_" + UUID.randomUUID().toString().substring(0, 8);

    private TestDatabase(String url, String username) {
        this.url = url;
        this.username = username;
    }

    public static TestDatabase postgresql() {
        return new TestDatabase(POSTGRESQL_URL, "postgres");
    }

    public static TestDatabase h2() {
        return new TestDatabase("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "");
    }

    public String url() {
        return url;
    }

    public String username() {
        return username;
    }

    public String schema() {
        return schema;
    }

    /** The settings that point a Caravan process at this store. */
    public Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("caravan.store.url", url);
        properties.put("caravan.store.username", username);
        properties.put("caravan.store.schema", schema);
        return properties;
    }

    /** Runs one statement (SQL the test needs beside the store's API). */
    public void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url, username, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (url.startsWith("jdbc:h2:")) {
            execute("SHUTDOWN");
        } else {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
