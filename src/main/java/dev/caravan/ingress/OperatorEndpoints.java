package dev.caravan.ingress;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.caravan.observe.LatencyHistogram;
import dev.caravan.observe.QueueStatistics;
import dev.caravan.observe.ThroughputHistory;
import dev.caravan.observe.WorkerDirectory;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The JSON the operator's page polls: {@code GET /api/overview} (queue, throughput, verdicts, latencies) and
 * {@code GET /api/workers} (the workers heard from). Both need an API key when keys are configured, like the rest
 * of the API; the figures come from the broker and from worker heartbeats, never from a database.
 */
public final class OperatorEndpoints {

    /**
     * @param depth     jobs waiting in the execute queue; null while the broker cannot be asked
     * @param consumers worker consumers attached to it; null likewise
     */
    public record QueueState(Long depth, Long consumers) {
    }

    /** Percentiles in ms, null before any job; Prometheus-style bucket upper bounds (see {@link LatencyHistogram}). */
    public record Percentiles(@JsonProperty("p50_ms") Double p50Ms, @JsonProperty("p95_ms") Double p95Ms) {

        static Percentiles of(LatencyHistogram histogram) {
            return new Percentiles(histogram.percentileMs(0.50), histogram.percentileMs(0.95));
        }
    }

    /** The body of {@code GET /api/overview}. */
    public record Overview(QueueState queue, ThroughputHistory.Series throughput,
                           Map<String, Map<String, Long>> verdicts, Percentiles processing,
                           @JsonProperty("queue_wait") Percentiles queueWait) {
    }

    private final QueueStatistics queue;
    private final WorkerDirectory workers;
    private final BearerAuthorization apiKeys;

    public OperatorEndpoints(QueueStatistics queue, WorkerDirectory workers, BearerAuthorization apiKeys) {
        this.queue = queue;
        this.workers = workers;
        this.apiKeys = apiKeys;
    }

    /** {@code GET /api/overview}; 401/403 without a valid API key when keys are set, 405 for another method. */
    public void overview(Exchange exchange) {
        apiKeys.require(exchange);
        HttpExchanges.requireMethod(exchange, "GET");
        WorkerDirectory.Totals totals = workers.totals();
        HttpExchanges.answer(exchange, 200, new Overview(
                new QueueState(whole(queue.depth()), whole(queue.consumers())),
                workers.throughput(), totals.verdicts(),
                Percentiles.of(totals.processing()), Percentiles.of(totals.queueWait())));
    }

    /** {@code GET /api/workers}: a JSON array of {@link WorkerDirectory.WorkerState}. */
    public void workers(Exchange exchange) {
        apiKeys.require(exchange);
        HttpExchanges.requireMethod(exchange, "GET");
        List<WorkerDirectory.WorkerState> listed = workers.workers();
        HttpExchanges.answer(exchange, 200, listed);
    }

    private static Long whole(double value) {
        return Double.isNaN(value) ? null : Math.round(value);
    }
}
