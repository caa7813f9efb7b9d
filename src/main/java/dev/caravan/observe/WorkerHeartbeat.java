package dev.caravan.observe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What a worker process publishes every {@code caravan.heartbeat.interval} on the heartbeat fanout exchange (JSON).
 * Counts are since the process started. Unknown fields are ignored, so a newer worker may add some without
 * breaking older API nodes.
 *
 * @param worker          the process name (role, pid and host), unique per process
 * @param cpuSlots        jobs it runs at once ({@code caravan.worker.concurrency})
 * @param gpuSlots        GPU jobs it runs at once (0 until task types with GPU slots exist)
 * @param inFlight        jobs running now
 * @param completed       jobs finished with a verdict
 * @param failed          attempts that failed for an infrastructure reason
 * @param avgProcessingMs mean time per finished job, ms
 * @param verdicts        finished jobs by language, then by verdict
 * @param processing      time per job from taking it to replying
 * @param queueWait       time from publishing to a worker starting the job
 * @param statusLine      the worker's status log line, as logged
 * @param intervalMs      the sender's heartbeat interval, ms: a receiver marks it silent after three
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerHeartbeat(
        String worker,
        String host,
        long pid,
        @JsonProperty("cpu_slots") int cpuSlots,
        @JsonProperty("gpu_slots") int gpuSlots,
        @JsonProperty("in_flight") long inFlight,
        long completed,
        long failed,
        @JsonProperty("avg_processing_ms") long avgProcessingMs,
        Map<String, Map<String, Long>> verdicts,
        LatencyHistogram processing,
        @JsonProperty("queue_wait") LatencyHistogram queueWait,
        @JsonProperty("status_line") String statusLine,
        @JsonProperty("interval_ms") long intervalMs) {
}
