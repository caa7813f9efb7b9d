package dev.caravan.store;

import dev.caravan.config.CaravanSettings;
import dev.caravan.config.StoreSettings;
import dev.caravan.queue.JobEventQueues;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The store's routes, on API/store nodes only: {@code job-events} applies workers' events from the durable results
 * queue in order (one consumer), acknowledging each only once the database has it; while the database is down the
 * event is retried with backoff and the rest wait in the queue. {@code store-sweep} runs the {@link RecordSweeper}.
 */
public final class StoreRoutes extends RouteBuilder {

    public static final String EVENTS_ROUTE_ID = "job-events";
    static final long RETRY_DELAY_MS = 500;
    static final long RETRY_MAX_DELAY_MS = 5_000;
    /** Events fetched ahead by the one consumer; they are applied in order either way. */
    static final int PREFETCH = 50;

    @Override
    public void configure() {
        CaravanSettings settings = getContext().getRegistry().findSingleByType(CaravanSettings.class);
        if (!settings.role().servesApi()) {
            return;
        }
        StoreSettings store = getContext().getRegistry().findSingleByType(StoreSettings.class);
        JobEventQueues queues = JobEventQueues.of(settings.queues());

        from("spring-rabbitmq:" + queues.resultsExchange()
                + "?queues=" + queues.results()
                + "&routingKey=" + JobEventQueues.RESULT_ROUTING_KEY
                + "&autoDeclare=false"
                + "&acknowledgeMode=AUTO"
                + "&prefetchCount=" + PREFETCH
                + "&concurrentConsumers=1"
                + "&maximumRetryAttempts=0")
                .routeId(EVENTS_ROUTE_ID)
                // An event whose exchange failed would be acknowledged and lost, so a database that is down is waited
                // out. Any other failure is a malformed event: retrying cannot help, so it is logged and dropped.
                .onException(StoreUnavailableException.class)
                    .maximumRedeliveries(-1)
                    .redeliveryDelay(RETRY_DELAY_MS)
                    .useExponentialBackOff()
                    .maximumRedeliveryDelay(RETRY_MAX_DELAY_MS)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                .end()
                .bean("resultRecorder", "apply");

        from("timer:store-sweep?delay=" + store.sweepInterval().toMillis() + "&period=" + store.sweepInterval().toMillis())
                .routeId("store-sweep")
                .bean("recordSweeper", "sweep");
    }
}
