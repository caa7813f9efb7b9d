package dev.caravan.worker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of queued jobs cancelled lately ({@code DELETE /jobs/{id}}), heard on the cancellations exchange, so the
 * worker that receives one acks and skips it. An id is forgotten after the queue's TTL: by then the broker has
 * dropped the job anyway.
 */
public final class CancelledJobs {

    private final Map<String, Long> cancelledAtNanos = new ConcurrentHashMap<>();
    private final long rememberNanos;

    /** @param remember how long an id is kept: the job queue's message TTL */
    public CancelledJobs(Duration remember) {
        this.rememberNanos = remember.toNanos();
    }

    /** Called with each notice's body, the job id. */
    public void add(String jobId) {
        long now = System.nanoTime();
        cancelledAtNanos.values().removeIf(at -> now - at > rememberNanos);
        cancelledAtNanos.put(jobId, now);
    }

    public boolean contains(String jobId) {
        return jobId != null && cancelledAtNanos.containsKey(jobId);
    }
}
