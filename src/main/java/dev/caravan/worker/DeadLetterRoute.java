package dev.caravan.worker;

import dev.caravan.config.CaravanSettings;
import dev.caravan.config.QueueNames;
import dev.caravan.queue.BrokerConnections;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;

/**
 * Where the worker's dead-letter channel ({@link WorkerErrorHandling}) delivers a job it gives up on: parks it on
 * the dead-letter queue with the reasons, then answers its caller with the error (the channel has handled the
 * failure, so the body this route ends with is the reply).
 */
public final class DeadLetterRoute extends RouteBuilder {

    public static final String URI = "direct:dead-letter";

    @Override
    public void configure() {
        CaravanSettings settings = getContext().getRegistry().findSingleByType(CaravanSettings.class);
        from(URI).routeId("dead-letter")
                .bean("deadLettering", "stamp")
                // InOnly: the parked copy answers nobody and must not wait for a reply.
                .to(ExchangePattern.InOnly, "spring-rabbitmq:" + settings.queues().deadLetterExchange()
                        + "?routingKey=" + QueueNames.EXECUTE_ROUTING_KEY
                        + "&connectionFactory=#" + BrokerConnections.CONFIRMED_BEAN + "&confirm=enabled")
                .bean("jobEvents", "deadLettered")
                .bean("deadLettering", "reply");
    }
}
