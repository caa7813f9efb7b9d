package dev.caravan.store;

import dev.caravan.contract.JobState;
import dev.caravan.queue.DeadLetter;
import dev.caravan.queue.JobEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one worker event from the results queue to the job's record. A "started" that arrives after the job's end
 * fills in what the end left empty ({@link JobStore#completeLateStart}). An event that changes nothing (a second
 * result for an ended job, a repeated "started") is ignored and counted in {@code caravan.store.events.ignored}. When
 * a job with a callback ends, the callback is queued.
 *
 * <p>The results queue also holds a copy of every dead-lettered job (see {@code JobEventTopology}). One the broker
 * dead-lettered itself ({@link DeadLetter#brokerReason}: expired in the queue, or past its delivery limit after
 * workers died holding it) ends its record EXPIRED or DEAD_LETTERED, since no worker will report it. One a worker parked is
 * ignored: that worker's own end event, with the reason, settles the record.
 */
public final class ResultRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(ResultRecorder.class);
    /** The broker's reason for a message whose TTL ran out in its queue (RabbitMQ's dead-lettering page). */
    private static final String BROKER_EXPIRED = "expired";

    private final JobStore store;
    private final Consumer<String> callbacks;
    private final Counter applied;
    private final Counter ignored;

    /** @param callbacks queues the callback of the job with this id ({@code CallbackQueue::enqueue}) */
    public ResultRecorder(JobStore store, Consumer<String> callbacks, MeterRegistry metrics) {
        this.store = store;
        this.callbacks = callbacks;
        this.applied = Counter.builder("caravan.store.events.applied")
                .description("Worker events that changed a job record").register(metrics);
        this.ignored = Counter.builder("caravan.store.events.ignored")
                .description("Worker events that changed nothing: duplicates, or late for an ended job").register(metrics);
    }

    /** @throws StoreUnavailableException when the database is down: the event stays in its queue and is retried */
    public void apply(Exchange exchange) {
        Message message = exchange.getMessage();
        String jobId = message.getHeader(SpringRabbitMQConstants.MESSAGE_ID, String.class);
        if (message.getHeader(JobEvent.KIND) == null) {
            deadLettered(jobId, DeadLetter.brokerReason(message.getHeaders()));
            return;
        }
        JobEvent.Kind kind = JobEvent.Kind.valueOf(message.getHeader(JobEvent.KIND, String.class));
        String worker = message.getHeader(JobEvent.WORKER, String.class);
        String reason = message.getHeader(JobEvent.REASON, String.class);
        Instant at = Instant.ofEpochMilli(message.getHeader(JobEvent.AT, System.currentTimeMillis(), Long.class));
        boolean changed = switch (kind) {
            case STARTED -> store.markStarted(jobId, worker, at) || store.completeLateStart(jobId, worker, at);
            case ATTEMPT_FAILED -> store.recordFailedAttempt(jobId, reason);
            case FINISHED -> finished(jobId, JobState.valueOf(message.getHeader(JobEvent.STATE, String.class)),
                    message.getBody(byte[].class), reason, at);
        };
        (changed ? applied : ignored).increment();
        if (!changed) {
            LOG.info("job={}: {} event from {} ignored: the record had already ended or is gone", jobId, kind, worker);
        }
    }

    private void deadLettered(String jobId, String brokerReason) {
        if (brokerReason == null) {
            // a worker parked it: that worker's own end event settles the record; this copy is not an event
            return;
        }
        boolean changed = finished(jobId,
                BROKER_EXPIRED.equals(brokerReason) ? JobState.EXPIRED : JobState.DEAD_LETTERED, null,
                "the broker dead-lettered the job (" + brokerReason + ")", Instant.now());
        (changed ? applied : ignored).increment();
        if (changed) {
            LOG.info("job={}: ended by the broker's dead-lettering ({})", jobId, brokerReason);
        }
    }

    private boolean finished(String jobId, JobState state, byte[] result, String reason, Instant at) {
        boolean ended = store.finish(jobId, state, result == null || result.length == 0 ? null : result, reason, at);
        if (ended && store.callback(jobId).isPresent()) {
            callbacks.accept(jobId);
        }
        return ended;
    }
}
