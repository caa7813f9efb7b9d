package dev.caravan.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one worker process, for the status line and, later, metrics. */
public final class WorkerStats {

    private final long startedNanos = System.nanoTime();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong processingNanos = new AtomicLong();

    void started() {
        inFlight.incrementAndGet();
    }

    void finished(long nanos, boolean succeeded) {
        inFlight.decrementAndGet();
        if (succeeded) {
            completed.incrementAndGet();
            processingNanos.addAndGet(nanos);
        }
    }

    void retried() {
        retried.incrementAndGet();
    }

    void deadLettered() {
        deadLettered.incrementAndGet();
    }

    public long completed() {
        return completed.get();
    }

    public long deadLetteredCount() {
        return deadLettered.get();
    }

    public long retriedCount() {
        return retried.get();
    }

    /** One line a log pipeline can split on spaces and '=' signs. */
    public String statusLine() {
        long done = completed.get();
        long averageMs = done == 0 ? 0 : processingNanos.get() / done / 1_000_000;
        long uptimeSeconds = Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
        return "worker status completed=" + done + " failed=" + deadLettered.get() + " retried=" + retried.get()
                + " in_flight=" + inFlight.get() + " avg_processing_ms=" + averageMs + " uptime_s=" + uptimeSeconds;
    }
}
