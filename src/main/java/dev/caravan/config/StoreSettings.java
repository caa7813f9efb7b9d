package dev.caravan.config;

import java.time.Duration;

/**
 * Where API/store nodes keep job records ({@code caravan.store.*}). The JDBC URL alone chooses the database:
 * {@code jdbc:h2:file:...} (embedded, one machine) or {@code jdbc:postgresql://...} (several API nodes).
 *
 * @param schema        the schema the records live in, created by the migrations when missing
 * @param retention     how long a record is kept after its job was submitted
 * @param sweepInterval how often overdue jobs are expired and old records deleted
 * @param maxBatch      the most jobs one {@code POST /jobs/batch} may carry ({@code caravan.limits.max-batch})
 */
public record StoreSettings(String url, String username, String password, String schema, int poolSize,
                            Duration retention, Duration sweepInterval, int maxBatch) {

    /** @throws InvalidSettingException naming the key of a missing or malformed value */
    public static StoreSettings read(SettingsReader reader) {
        String url = reader.text("caravan.store.url");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new InvalidSettingException("caravan.store.url",
                    "expected a jdbc:h2: or jdbc:postgresql: URL but was '" + url + "'");
        }
        return new StoreSettings(url,
                reader.textOrEmpty("caravan.store.username"),
                reader.textOrEmpty("caravan.store.password"),
                reader.text("caravan.store.schema"),
                reader.positiveInt("caravan.store.pool-size"),
                reader.positiveDuration("caravan.store.retention"),
                reader.positiveDuration("caravan.store.sweep-interval"),
                reader.positiveInt("caravan.limits.max-batch"));
    }
}
