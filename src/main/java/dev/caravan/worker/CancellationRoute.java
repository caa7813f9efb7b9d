package dev.caravan.worker;

import dev.caravan.config.CaravanSettings;
import dev.caravan.queue.JobEventQueues;
import java.util.UUID;
import org.apache.camel.builder.RouteBuilder;

/**
 * Each worker process hears every cancellation notice on a queue of its own (not durable, deleted by the broker a
 * minute after the process is gone) and remembers the ids in {@link CancelledJobs}.
 */
public final class CancellationRoute extends RouteBuilder {

    private static final long QUEUE_EXPIRES_MS = 60_000;

    @Override
    public void configure() {
        CaravanSettings settings = getContext().getRegistry().findSingleByType(CaravanSettings.class);
        if (!settings.role().executesJobs()) {
            return;
        }
        JobEventQueues queues = JobEventQueues.of(settings.queues());
        from("spring-rabbitmq:" + queues.cancellationsExchange()
                + "?exchangeType=fanout"
                + "&queues=" + queues.cancellationsExchange() + "." + UUID.randomUUID()
                + "&autoDeclare=true"
                + "&arg.queue.x-expires=" + QUEUE_EXPIRES_MS
                + "&acknowledgeMode=AUTO"
                + "&maximumRetryAttempts=0")
                .routeId("cancellations")
                .convertBodyTo(String.class)
                .bean("cancelledJobs", "add");
    }
}
