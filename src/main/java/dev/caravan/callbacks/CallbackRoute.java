package dev.caravan.callbacks;

import dev.caravan.config.CallbackSettings;
import dev.caravan.config.CaravanSettings;
import dev.caravan.queue.JobEventQueues;
import dev.caravan.store.StoreUnavailableException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * Delivers callbacks from their own durable queue, on API/store nodes only, apart from any worker: a slow or dead
 * receiver holds up at most {@code caravan.callbacks.concurrency} deliveries here, never a job. A failed POST is
 * retried with exponential backoff (doubling from {@code caravan.callbacks.retry-delay} up to
 * {@code retry-max-delay}, jittered so that receivers that come back are not hit all at once), up to
 * {@code caravan.callbacks.max-attempts} POSTs; then the callback is given up, its attempts left on the record.
 * The message stays unacknowledged while it waits, so a node that dies hands it to another.
 */
public final class CallbackRoute extends RouteBuilder {

    public static final String ROUTE_ID = "callbacks";
    static final long STORE_RETRY_DELAY_MS = 500;
    static final long STORE_RETRY_MAX_DELAY_MS = 5_000;

    @Override
    public void configure() {
        CaravanSettings settings = getContext().getRegistry().findSingleByType(CaravanSettings.class);
        if (!settings.role().servesApi()) {
            return;
        }
        CallbackSettings callbacks = getContext().getRegistry().findSingleByType(CallbackSettings.class);
        JobEventQueues queues = JobEventQueues.of(settings.queues());

        onException(CallbackFailedException.class)
                .maximumRedeliveries(callbacks.maxAttempts() - 1)
                .redeliveryDelay(callbacks.initialDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(callbacks.maxDelay().toMillis())
                .useCollisionAvoidance()
                .retryAttemptedLogLevel(LoggingLevel.INFO)
                .handled(true)
                .log(LoggingLevel.WARN, "Callback of job ${body} given up after " + callbacks.maxAttempts()
                        + " attempts: ${exception.message}");

        // A failed job message would be acknowledged and lost, so a database that is down is waited out.
        onException(StoreUnavailableException.class)
                .maximumRedeliveries(-1)
                .redeliveryDelay(STORE_RETRY_DELAY_MS)
                .useExponentialBackOff()
                .maximumRedeliveryDelay(STORE_RETRY_MAX_DELAY_MS)
                .retryAttemptedLogLevel(LoggingLevel.WARN);

        from("spring-rabbitmq:default"
                + "?queues=" + queues.callbacks()
                + "&autoDeclare=false"
                + "&acknowledgeMode=AUTO"
                + "&prefetchCount=1"
                + "&concurrentConsumers=" + callbacks.concurrency()
                + "&maximumRetryAttempts=0")
                .routeId(ROUTE_ID)
                .convertBodyTo(String.class)
                .bean("callbackSender", "deliver");
    }
}
