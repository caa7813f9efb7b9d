package dev.caravan.worker;

import dev.caravan.config.CaravanSettings;
import dev.caravan.config.QueueNames;
import dev.caravan.config.RetryPolicy;
import org.apache.camel.ExchangePattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * What happens when running a job throws: the fault is an infrastructure one (user-program failures are
 * verdicts, not exceptions), so the job is retried with exponential backoff; a job that exhausts its attempts
 * is dead-lettered with the reason and its caller gets an error reply.
 */
public final class WorkerErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "worker-errors";

    @Override
    public void configuration() {
        CaravanSettings settings = getContext().getRegistry().findSingleByType(CaravanSettings.class);
        RetryPolicy retry = settings.retry();
        WorkerStats stats = getContext().getRegistry().findSingleByType(WorkerStats.class);

        routeConfiguration(ID)
                .onException(Exception.class)
                    .maximumRedeliveries(retry.redeliveries())
                    .redeliveryDelay(retry.initialDelay().toMillis())
                    .useExponentialBackOff()
                    .backOffMultiplier(retry.backoffMultiplier())
                    .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                    .onRedelivery(exchange -> stats.retried())
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    // JobRunner leaves the message untouched until it succeeds, so the body here is the job as it arrived.
                    .handled(true)
                    .bean("deadLettering", "stamp")
                    .to(ExchangePattern.InOnly, "spring-rabbitmq:" + settings.queues().deadLetterExchange()
                            + "?routingKey=" + QueueNames.EXECUTE_ROUTING_KEY)
                    .bean("deadLettering", "reply")
                .end();
    }
}
