package dev.caravan.observe;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
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

    /** The timer's histogram since it was made; the timer must publish a percentile histogram. */
    public static LatencyHistogram of(Timer timer) {
        List<Bucket> buckets = new ArrayList<>();
        double below = 0;
        for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
            long count = Math.round(bucket.count() - below);
            below = bucket.count();
            if (count > 0) {
                buckets.add(new Bucket(bucket.bucket(TimeUnit.MILLISECONDS), count));
            }
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
