package dev.caravan.observe;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * Jobs completed and failed per second over the last 15 minutes, in 5-second buckets, as this API node heard of
 * them through heartbeats (the jobs a worker reports between two of its heartbeats land in the bucket the later
 * one arrived in).
 */
public final class ThroughputHistory {

    /** Seconds per bucket. */
    public static final int BUCKET_SECONDS = 5;
    /** Buckets kept: 15 minutes. */
    public static final int BUCKETS = 180;

    /**
     * @param start       epoch second at which the first bucket starts
     * @param completed   jobs per second finished with a verdict, one value per bucket, oldest first
     * @param failed      job attempts per second that failed for an infrastructure reason
     */
    public record Series(long start, @JsonProperty("bucket_seconds") int bucketSeconds, List<Double> completed,
                         List<Double> failed) {
    }

    private final long[] completed = new long[BUCKETS];
    private final long[] failed = new long[BUCKETS];
    /** The bucket number (epoch seconds / bucket size) each slot of the ring last held. */
    private final long[] bucketOfSlot = new long[BUCKETS];

    /** Adds jobs reported at {@code epochMillis}. */
    public synchronized void add(long epochMillis, long completedJobs, long failedAttempts) {
        int slot = slot(epochMillis / 1000 / BUCKET_SECONDS);
        completed[slot] += completedJobs;
        failed[slot] += failedAttempts;
    }

    private int slot(long bucket) {
        int slot = (int) (bucket % BUCKETS);
        if (bucketOfSlot[slot] != bucket) {
            bucketOfSlot[slot] = bucket;
            completed[slot] = 0;
            failed[slot] = 0;
        }
        return slot;
    }

    /** The 15 minutes up to {@code epochMillis}, the bucket in progress last. */
    public synchronized Series series(long epochMillis) {
        long last = epochMillis / 1000 / BUCKET_SECONDS;
        List<Double> completedRates = new ArrayList<>(BUCKETS);
        List<Double> failedRates = new ArrayList<>(BUCKETS);
        for (long bucket = last - BUCKETS + 1; bucket <= last; bucket++) {
            int slot = (int) (bucket % BUCKETS);
            boolean current = bucketOfSlot[slot] == bucket;
            completedRates.add(current ? (double) completed[slot] / BUCKET_SECONDS : 0);
            failedRates.add(current ? (double) failed[slot] / BUCKET_SECONDS : 0);
        }
        return new Series((last - BUCKETS + 1) * BUCKET_SECONDS, BUCKET_SECONDS, completedRates, failedRates);
    }
}
