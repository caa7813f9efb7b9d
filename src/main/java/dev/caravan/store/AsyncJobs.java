package dev.caravan.store;

import dev.caravan.contract.Callback;
import dev.caravan.contract.Job;
import dev.caravan.contract.JobState;
import dev.caravan.contract.Json;
import dev.caravan.contract.TaskRun;
import dev.caravan.queue.CancellationNotices;
import dev.caravan.queue.DetachedJobPublisher;
import dev.caravan.queue.JobRouting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs that outlive a request, for {@code POST/GET/DELETE /jobs} and for adapters (Judge0's tokens map onto job ids):
 * submitting one (a QUEUED record first, then the confirmed publish), reading one with its queue position, and
 * cancelling or deleting one.
 */
public final class AsyncJobs {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncJobs.class);

    private final JobStore store;
    private final DetachedJobPublisher publisher;
    private final CancellationNotices cancellations;
    private final Consumer<String> callbacks;
    private final Supplier<Optional<QueueDepth>> queueDepth;
    private final Duration queueTtl;
    private final Clock clock;

    /**
     * @param callbacks  queues the callback of the job with this id ({@code CallbackQueue::enqueue})
     * @param queueDepth the job queue as the broker sees it now, empty when it cannot be asked
     * @param queueTtl   how long a job may wait in the queue ({@code caravan.queue.message-ttl})
     */
    public AsyncJobs(JobStore store, DetachedJobPublisher publisher, CancellationNotices cancellations,
                     Consumer<String> callbacks, Supplier<Optional<QueueDepth>> queueDepth, Duration queueTtl, Clock clock) {
        this.store = store;
        this.publisher = publisher;
        this.cancellations = cancellations;
        this.callbacks = callbacks;
        this.queueDepth = queueDepth;
        this.queueTtl = queueTtl;
        this.clock = clock;
    }

    /** The job queue's waiting messages and consumers, as the broker counts them. */
    public record QueueDepth(long ready, long consumers) {
    }

    /**
     * Records the job as QUEUED and publishes it. A job the broker did not take has its record removed again, so
     * that no record waits for a job that does not exist.
     *
     * @param callback where to POST the record when the job ends, or null
     * @return the QUEUED record
     * @throws StoreUnavailableException when the record cannot be written (nothing was published)
     * @throws dev.caravan.queue.JobNotAcceptedException when the broker refused the job or did not confirm it
     * @throws org.springframework.amqp.AmqpException when the broker cannot be reached
     */
    public JobRecord submit(Job job, Callback callback) {
        // the record keeps milliseconds: the 202 says what GET /jobs/{id} will say
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        store.insertQueued(new NewJob(job.id(), job.language(), now, now.plus(queueTtl), callback));
        try {
            publisher.publish(job.id(), JobRouting.keyOf(job), Json.write(job));
        } catch (RuntimeException notPublished) {
            store.discardQueued(job.id());
            throw notPublished;
        }
        return new JobRecord(job.id(), JobState.QUEUED, job.language(), now, null, null, 0, null,
                null, null, null, null);
    }

    /**
     * The record, with the queue position when it is QUEUED and the broker answers; empty for an unknown id. A task's
     * record has no position: the figures are the judge queue's, and a task waits in a task queue of its own.
     */
    public Optional<JobRecord> find(String id) {
        return store.find(id).map(record -> record.status() != JobState.QUEUED || TaskRun.isTaskLanguage(record.language())
                ? record
                : queueDepth.get().map(depth -> record.withQueue(new JobRecord.QueuePosition(
                        Math.min(store.queuedBefore(record.submittedAt()), depth.ready()), depth.consumers())))
                        .orElse(record));
    }

    /**
     * Cancels a QUEUED job (every worker is told to skip it, and its callback is queued), deletes an ended one, or
     * refuses a RUNNING one.
     */
    public JobStore.Removal cancelOrDelete(String id) {
        JobStore.Removal removal = store.cancelOrDelete(id, clock.instant());
        if (removal == JobStore.Removal.CANCELLED) {
            try {
                cancellations.cancelled(id);
            } catch (RuntimeException e) {
                // The record says CANCELLED whatever a worker then does: the store ignores its result.
                LOG.warn("job={}: workers could not be told of its cancellation: {}", id, e.getMessage());
            }
            if (store.callback(id).isPresent()) {
                try {
                    callbacks.accept(id);
                } catch (RuntimeException e) {
                    // The job is cancelled either way; only its callback is lost, and the record says none was sent.
                    LOG.warn("job={}: its callback could not be queued: {}", id, e.getMessage());
                }
            }
        }
        return removal;
    }
}
