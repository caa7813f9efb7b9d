package dev.caravan.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void aTimersHistogramGivesItsPercentilesAsBucketBounds() {
        Timer timer = Timer.builder("t").publishPercentileHistogram().register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        timer.record(Duration.ofMillis(10));
        for (int i = 0; i < 6; i++) {
            timer.record(Duration.ofSeconds(20));
        }
        LatencyHistogram histogram = LatencyHistogram.of(timer);
        assertEquals(7, histogram.buckets().stream().mapToLong(LatencyHistogram.Bucket::count).sum(), histogram.toString());
        double p50 = histogram.percentileMs(0.5);
        assertTrue(p50 >= 20_000 && p50 < 25_000, "p50 " + p50);
        double fastest = histogram.percentileMs(0.1);
        assertTrue(fastest >= 10 && fastest < 12, "p10 " + fastest);
    }

    @Test
    void timesBeyondTheLargestBucketAreCountedNotLost() {
        Timer timer = Timer.builder("t").publishPercentileHistogram().register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        timer.record(Duration.ofMillis(10));
        timer.record(Duration.ofSeconds(45));
        timer.record(Duration.ofSeconds(50));
        LatencyHistogram histogram = LatencyHistogram.of(timer);
        assertEquals(3, histogram.buckets().stream().mapToLong(LatencyHistogram.Bucket::count).sum(), histogram.toString());
        assertEquals(50_000.0, histogram.percentileMs(0.95));
    }
}
