package dev.caravan.worker;

import dev.caravan.config.CaravanSettings;
import dev.caravan.config.RetryPolicy;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * What happens when running a job throws. A job that cannot be run at all (poison, expired) is dead-lettered
 * at once. Any other fault is an infrastructure one (user-program failures are verdicts, not exceptions), so
 * the job is retried with jittered exponential backoff and dead-lettered once its attempts are used up.
 */
public final class WorkerErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "worker-errors";

    @Override
    public void configuration() {
        CaravanSettings settings = getContext().getRegistry().findSingleByType(CaravanSettings.class);
        RetryPolicy retry = settings.retry();
        WorkerStats stats = getContext().getRegistry().findSingleByType(WorkerStats.class);

        routeConfiguration(ID)
                .onException(UnrunnableJobException.class)
                    .handled(true)
                    .to(DeadLetterRoute.URI)
                .end()
                .onException(Exception.class)
                    .maximumRedeliveries(retry.redeliveries())
                    .redeliveryDelay(retry.initialDelay().toMillis())
                    .useExponentialBackOff()
                    .backOffMultiplier(retry.backoffMultiplier())
                    .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                    // Jitter, so that jobs failing together on a flaky resource do not retry in lockstep.
                    .useCollisionAvoidance()
                    .onRedelivery(exchange -> stats.retried())
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    // JobRunner leaves the message untouched until it succeeds, so the body here is the job as it arrived.
                    .handled(true)
                    .to(DeadLetterRoute.URI)
                .end();
    }
}
