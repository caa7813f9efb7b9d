package dev.caravan.store;

import dev.caravan.contract.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's background work, run every {@code caravan.store.sweep-interval}:
 * <ul>
 * <li>ends as EXPIRED the jobs still QUEUED after their time in the queue (the broker dropped them to the dead-letter
 * queue without a worker seeing them, so no event will come), a grace period after, for events still in flight;</li>
 * <li>deletes records submitted longer than {@code caravan.store.retention} ago, in batches, so that no statement holds
 * a long lock.</li>
 * </ul>
 */
public final class RecordSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(RecordSweeper.class);
    /** How long after its expiry a QUEUED record waits for a late "started" event before it is ended. */
    static final Duration EXPIRY_GRACE = Duration.ofSeconds(60);
    static final int BATCH = 500;
    private static final String EXPIRED_REASON = "no worker took the job before it expired in the queue";

    private final JobStore store;
    private final Duration retention;
    private final Consumer<String> callbacks;
    private final Clock clock;

    /** @param callbacks queues the callback of the job with this id ({@code CallbackQueue::enqueue}) */
    public RecordSweeper(JobStore store, Duration retention, Consumer<String> callbacks, Clock clock) {
        this.store = store;
        this.retention = retention;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    /** One sweep; returns the records it expired and deleted. */
    public Swept sweep() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(EXPIRY_GRACE);
        int expired = store.expireQueuedBefore(cutoff, EXPIRED_REASON, now);
        List<String> overdue;
        do {
            overdue = store.queuedWithCallbackExpiredBefore(cutoff, BATCH);
            for (String id : overdue) {
                // One by one, so that each job this sweep ended gets its callback queued.
                if (store.finish(id, JobState.EXPIRED, null, EXPIRED_REASON, now)) {
                    expired++;
                    callbacks.accept(id);
                }
            }
        } while (overdue.size() == BATCH);
        int deleted = 0;
        int batch;
        do {
            batch = store.deleteSubmittedBefore(now.minus(retention), BATCH);
            deleted += batch;
        } while (batch == BATCH);
        if (expired > 0 || deleted > 0) {
            LOG.info("Store sweep: {} queued jobs expired, {} records older than {} deleted", expired, deleted, retention);
        }
        return new Swept(expired, deleted);
    }

    /** What one sweep did. */
    public record Swept(int expired, int deleted) {
    }
}
