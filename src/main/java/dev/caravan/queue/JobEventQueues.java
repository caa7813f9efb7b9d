package dev.caravan.queue;

import dev.caravan.config.QueueNames;

/**
 * The broker names of the asynchronous half, derived from the job exchange's name so that one setting
 * ({@code caravan.queue.exchange}, default {@code caravan}) keeps a deployment's (or a test's) names apart:
 * {@code caravan.results} (exchange and durable queue of job events, consumed by the store route),
 * {@code caravan.callbacks} (durable queue of callbacks to deliver) and {@code caravan.cancellations} (fanout
 * exchange telling every worker which queued jobs were cancelled).
 */
public record JobEventQueues(String resultsExchange, String results, String callbacks, String cancellationsExchange) {

    /** Routing key of job events on the results exchange. */
    public static final String RESULT_ROUTING_KEY = "result";

    public static JobEventQueues of(QueueNames names) {
        return new JobEventQueues(names.exchange() + ".results", names.exchange() + ".results",
                names.exchange() + ".callbacks", names.exchange() + ".cancellations");
    }
}
