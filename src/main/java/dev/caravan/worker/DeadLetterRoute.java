package dev.caravan.worker;

import dev.caravan.config.CaravanSettings;
import dev.caravan.config.QueueNames;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;

/** Parks a failed job on the dead-letter queue with the reasons, then answers its caller with the error. */
public final class DeadLetterRoute extends RouteBuilder {

    public static final String URI = "direct:dead-letter";

    @Override
    public void configure() {
        CaravanSettings settings = getContext().getRegistry().findSingleByType(CaravanSettings.class);
        from(URI).routeId("dead-letter")
                .bean("deadLettering", "stamp")
                // InOnly: the parked copy answers nobody and must not wait for a reply.
                .to(ExchangePattern.InOnly, "spring-rabbitmq:" + settings.queues().deadLetterExchange()
                        + "?routingKey=" + QueueNames.EXECUTE_ROUTING_KEY + "&confirm=enabled")
                .bean("deadLettering", "reply");
    }
}
