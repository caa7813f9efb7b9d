package dev.caravan.store;

import dev.caravan.contract.Callback;
import java.time.Instant;

/**
 * A job about to be published, as its first record.
 *
 * @param expiresAt when the broker drops it if no worker took it (the queue's TTL, or the caller's wait for
 *                  {@code /execute}); a record still QUEUED after that is EXPIRED by the sweep
 * @param callback  where to POST the record when the job ends, or null
 */
public record NewJob(String id, String language, Instant submittedAt, Instant expiresAt, Callback callback) {
}
