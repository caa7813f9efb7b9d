package dev.caravan.observe;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A latency histogram that travels in heartbeats and adds up across workers: the jobs in each bucket of a
 * Micrometer percentile histogram (bucket upper bounds in ms, Micrometer's default timer buckets), empty
 * buckets left out. Percentiles are read as Prometheus' {@code histogram_quantile} would, but without
 * interpolation: the upper bound of the bucket the rank falls in.
 */
public record LatencyHistogram(List<Bucket> buckets) {

    /** @param count jobs that took more than the previous bucket's bound and at most {@code leMs} milliseconds */
    public record Bucket(@JsonProperty("le_ms") double leMs, long count) {
    }

    public static final LatencyHistogram EMPTY = new LatencyHistogram(List.of());

    /**
     * The timer's histogram since it was made; the timer must publish a percentile histogram. Times over its largest
     * bucket (Micrometer's default: 30 s) have no bucket of their own (Prometheus' {@code +Inf}): they are counted in
     * one bounded by the longest time the timer saw lately, or by the largest bucket when that is not longer.
     */
    public static LatencyHistogram of(Timer timer) {
        HistogramSnapshot snapshot = timer.takeSnapshot();
        List<Bucket> buckets = new ArrayList<>();
        double below = 0;
        double largestBound = 0;
        for (CountAtBucket bucket : snapshot.histogramCounts()) {
            long count = Math.round(bucket.count() - below);
            below = bucket.count();
            largestBound = bucket.bucket(TimeUnit.MILLISECONDS);
            if (count > 0) {
                buckets.add(new Bucket(largestBound, count));
            }
        }
        long beyond = snapshot.count() - Math.round(below);
        if (beyond > 0) {
            buckets.add(new Bucket(Math.max(largestBound, snapshot.max(TimeUnit.MILLISECONDS)), beyond));
        }
        return new LatencyHistogram(buckets);
    }

    /** Both histograms' jobs in one. */
    public LatencyHistogram plus(LatencyHistogram other) {
        Map<Double, Long> merged = new TreeMap<>();
        for (Bucket bucket : buckets) {
            merged.merge(bucket.leMs(), bucket.count(), Long::sum);
        }
        for (Bucket bucket : other.buckets) {
            merged.merge(bucket.leMs(), bucket.count(), Long::sum);
        }
        return new LatencyHistogram(merged.entrySet().stream().map(e -> new Bucket(e.getKey(), e.getValue())).toList());
    }

    /**
     * The bound under which a share {@code quantile} (0 to 1) of the jobs finished, in ms; null without jobs.
     */
    public Double percentileMs(double quantile) {
        long total = buckets.stream().mapToLong(Bucket::count).sum();
        if (total == 0) {
            return null;
        }
        double rank = quantile * total;
        long seen = 0;
        for (Bucket bucket : buckets) {
            seen += bucket.count();
            if (seen >= rank) {
                return bucket.leMs();
            }
        }
        return buckets.get(buckets.size() - 1).leMs();
    }
}
