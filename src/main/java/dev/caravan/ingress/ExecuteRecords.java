package dev.caravan.ingress;

import dev.caravan.store.JobStore;
import dev.caravan.store.NewJob;
import dev.caravan.store.StoreUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every {@code POST /execute} job a record before it is published, so that the id in a 504 answer can be
 * looked up later with {@code GET /jobs/{id}}. The record expires with the caller's wait, as the job message does.
 * A store that is down does not stop {@code /execute}: the job runs unrecorded, counted in
 * {@code caravan.store.unrecorded}.
 */
public final class ExecuteRecords {

    private static final Logger LOG = LoggerFactory.getLogger(ExecuteRecords.class);

    private final JobStore store;
    private final Duration wait;
    private final Clock clock;
    private final Counter unrecorded;

    /** @param wait how long {@code /execute} waits for the reply ({@code caravan.execute.wait-timeout}) */
    public ExecuteRecords(JobStore store, Duration wait, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.wait = wait;
        this.clock = clock;
        this.unrecorded = Counter.builder("caravan.store.unrecorded")
                .description("/execute jobs run without a record because the store was down").register(metrics);
    }

    /** Between {@link ExecuteIngress#accept} and the publish. */
    public void record(Exchange exchange) {
        String id = exchange.getProperty(ExecuteIngress.JOB_ID, String.class);
        Instant now = clock.instant();
        try {
            store.insertQueued(new NewJob(id, exchange.getProperty(ExecuteIngress.JOB_LANGUAGE, String.class), now,
                    now.plus(wait), null));
        } catch (StoreUnavailableException e) {
            unrecorded.increment();
            LOG.warn("job={} runs without a record: {}", id, e.getMessage());
        }
    }
}
