package dev.caravan.observe;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.caravan.config.HeartbeatSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The workers this API node has heard from: the latest heartbeat of each, whether it still reports, and the
 * figures all of them add up to. A worker silent for {@link HeartbeatSettings#MISSED_BEATS} of its intervals is
 * marked as not reporting; one silent for {@code forget-after} is dropped.
 */
public final class WorkerDirectory {

    private record Seen(WorkerHeartbeat heartbeat, long atMillis) {
    }

    /**
     * One worker as the page shows it.
     *
     * @param lastSeen   when its latest heartbeat arrived (ISO-8601)
     * @param silentMs   ms since then
     * @param reporting  false once it missed three heartbeats
     */
    public record WorkerState(
            String worker, String host, long pid,
            @JsonProperty("cpu_slots") int cpuSlots,
            @JsonProperty("gpu_slots") int gpuSlots,
            @JsonProperty("in_flight") long inFlight,
            long completed, long failed,
            @JsonProperty("avg_processing_ms") long avgProcessingMs,
            @JsonProperty("status_line") String statusLine,
            @JsonProperty("last_seen") String lastSeen,
            @JsonProperty("silent_ms") long silentMs,
            boolean reporting) {
    }

    /**
     * What every listed worker adds up to, since each started.
     *
     * @param verdicts finished jobs by language, then verdict
     */
    public record Totals(Map<String, Map<String, Long>> verdicts, LatencyHistogram processing, LatencyHistogram queueWait) {
    }

    private final Map<String, Seen> latest = new ConcurrentHashMap<>();
    private final ThroughputHistory throughput = new ThroughputHistory();
    private final long forgetAfterMs;
    private final LongSupplier clock;

    /** @param clock epoch milliseconds */
    public WorkerDirectory(Duration forgetAfter, LongSupplier clock) {
        this.forgetAfterMs = forgetAfter.toMillis();
        this.clock = clock;
    }

    /** Keeps the heartbeat as its worker's latest and counts the jobs it reports since the one before. */
    public void record(WorkerHeartbeat heartbeat) {
        long now = clock.getAsLong();
        Seen before = latest.put(heartbeat.worker(), new Seen(heartbeat, now));
        long completedBefore = before == null ? 0 : before.heartbeat().completed();
        long failedBefore = before == null ? 0 : before.heartbeat().failed();
        throughput.add(now, Math.max(0, heartbeat.completed() - completedBefore), Math.max(0, heartbeat.failed() - failedBefore));
    }

    /** Every worker heard from within {@code forget-after}, by host then name. */
    public List<WorkerState> workers() {
        long now = clock.getAsLong();
        latest.values().removeIf(seen -> now - seen.atMillis() > forgetAfterMs);
        return latest.values().stream()
                .sorted(Comparator.comparing((Seen s) -> s.heartbeat().host()).thenComparing(s -> s.heartbeat().worker()))
                .map(seen -> state(seen, now))
                .toList();
    }

    private static WorkerState state(Seen seen, long now) {
        WorkerHeartbeat beat = seen.heartbeat();
        long silent = now - seen.atMillis();
        return new WorkerState(beat.worker(), beat.host(), beat.pid(), beat.cpuSlots(), beat.gpuSlots(), beat.inFlight(),
                beat.completed(), beat.failed(), beat.avgProcessingMs(), beat.statusLine(),
                Instant.ofEpochMilli(seen.atMillis()).toString(), silent,
                silent <= HeartbeatSettings.MISSED_BEATS * beat.intervalMs());
    }

    public Totals totals() {
        workers();
        Map<String, Map<String, Long>> verdicts = new TreeMap<>();
        LatencyHistogram processing = LatencyHistogram.EMPTY;
        LatencyHistogram queueWait = LatencyHistogram.EMPTY;
        for (Seen seen : latest.values()) {
            WorkerHeartbeat beat = seen.heartbeat();
            beat.verdicts().forEach((language, byVerdict) -> byVerdict.forEach((verdict, jobs) ->
                    verdicts.computeIfAbsent(language, l -> new TreeMap<>()).merge(verdict, jobs, Long::sum)));
            processing = processing.plus(beat.processing());
            queueWait = queueWait.plus(beat.queueWait());
        }
        return new Totals(verdicts, processing, queueWait);
    }

    public ThroughputHistory.Series throughput() {
        return throughput.series(clock.getAsLong());
    }
}
