package dev.caravan.worker;

import dev.caravan.config.CaravanSettings;
import dev.caravan.config.RetryPolicy;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * What happens when running a job throws, declared once for the routes that opt in by {@link #ID}: Camel's
 * dead-letter channel ({@link DeadLetterRoute}). Any fault is an infrastructure one (user-program failures are
 * verdicts, not exceptions), so the job is retried with jittered exponential backoff, {@code caravan.worker.*}
 * attempts in all, and then dead-lettered. A job no retry can help ({@link UnrunnableJobException}: poison,
 * expired) goes to the channel at once.
 */
public final class WorkerErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "worker-errors";

    @Override
    public void configuration() {
        CaravanSettings settings = getContext().getRegistry().findSingleByType(CaravanSettings.class);
        RetryPolicy retry = settings.retry();
        WorkerStats stats = getContext().getRegistry().findSingleByType(WorkerStats.class);
        JobEvents events = getContext().getRegistry().findSingleByType(JobEvents.class);

        routeConfiguration(ID)
                .errorHandler(deadLetterChannel(DeadLetterRoute.URI)
                        // A job that could not be parked must fail, so that the broker keeps it, rather than be acknowledged.
                        .deadLetterHandleNewException(false)
                        // The job as it arrived, not what an attempt left of it, is what gets parked.
                        .useOriginalMessage()
                        .maximumRedeliveries(retry.redeliveries())
                        .redeliveryDelay(retry.initialDelay().toMillis())
                        .useExponentialBackOff()
                        .backOffMultiplier(retry.backoffMultiplier())
                        .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                        // Jitter, so that jobs failing together on a flaky resource do not retry in lockstep.
                        .useCollisionAvoidance()
                        .onRedelivery(exchange -> {
                            stats.retried();
                            events.attemptFailed(exchange);
                        })
                        .retryAttemptedLogLevel(LoggingLevel.WARN))
                .onException(UnrunnableJobException.class)
                    .maximumRedeliveries(0)
                    // A matching onException replaces the channel's choice of message with its own.
                    .useOriginalMessage()
                .end();
    }
}
