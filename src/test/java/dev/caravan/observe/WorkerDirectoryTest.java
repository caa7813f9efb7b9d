package dev.caravan.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkerDirectoryTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final WorkerDirectory directory = new WorkerDirectory(Duration.ofSeconds(60), now::get);

    private static WorkerHeartbeat beat(String worker, long completed, long failed, Map<String, Map<String, Long>> verdicts,
                                        LatencyHistogram processing) {
        return new WorkerHeartbeat(worker, "host-a", 7, 2, 0, 1, completed, failed, 40, verdicts, processing,
                LatencyHistogram.EMPTY, "worker status", 2000);
    }

    @Test
    void aWorkerSilentForThreeIntervalsIsMarkedThenForgotten() {
        directory.record(beat("w1", 0, 0, Map.of(), LatencyHistogram.EMPTY));
        now.addAndGet(6000);
        assertTrue(directory.workers().get(0).reporting(), "three intervals of silence are still tolerated");
        now.addAndGet(1);
        assertFalse(directory.workers().get(0).reporting());
        now.addAndGet(60_000);
        assertEquals(List.of(), directory.workers());
    }

    @Test
    void jobsBetweenTwoHeartbeatsAreCountedOnceInTheThroughput() {
        directory.record(beat("w1", 10, 1, Map.of(), LatencyHistogram.EMPTY));
        directory.record(beat("w1", 15, 1, Map.of(), LatencyHistogram.EMPTY));
        directory.record(beat("w2", 5, 0, Map.of(), LatencyHistogram.EMPTY));
        ThroughputHistory.Series series = directory.throughput();
        assertEquals(ThroughputHistory.BUCKETS, series.completed().size());
        assertEquals(20.0 / ThroughputHistory.BUCKET_SECONDS, series.completed().get(ThroughputHistory.BUCKETS - 1));
        assertEquals(1.0 / ThroughputHistory.BUCKET_SECONDS, series.failed().get(ThroughputHistory.BUCKETS - 1));
        now.addAndGet(Duration.ofMinutes(15).toMillis());
        assertEquals(0.0, directory.throughput().completed().stream().mapToDouble(Double::doubleValue).sum(),
                "nothing older than 15 minutes is shown");
    }

    @Test
    void verdictsAndHistogramsAddUpAcrossWorkers() {
        LatencyHistogram fast = new LatencyHistogram(List.of(new LatencyHistogram.Bucket(10, 9)));
        LatencyHistogram slow = new LatencyHistogram(List.of(new LatencyHistogram.Bucket(10, 9), new LatencyHistogram.Bucket(500, 2)));
        directory.record(beat("w1", 9, 0, Map.of("python", Map.of("ACCEPTED", 9L)), fast));
        directory.record(beat("w2", 11, 0, Map.of("python", Map.of("ACCEPTED", 10L, "WRONG_ANSWER", 1L)), slow));
        WorkerDirectory.Totals totals = directory.totals();
        assertEquals(Map.of("python", Map.of("ACCEPTED", 19L, "WRONG_ANSWER", 1L)), totals.verdicts());
        assertEquals(10.0, totals.processing().percentileMs(0.50));
        assertEquals(500.0, totals.processing().percentileMs(0.95), "2 of 20 jobs took up to 500 ms");
        assertNull(totals.queueWait().percentileMs(0.5), "no percentile without jobs");
    }
}
