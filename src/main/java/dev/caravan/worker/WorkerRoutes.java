package dev.caravan.worker;

import dev.caravan.config.CaravanSettings;
import dev.caravan.config.QueueNames;
import dev.caravan.config.TaskSettings;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;

/**
 * The worker: takes one job at a time from the execute queue, runs it, replies and reports it to the store
 * ({@link JobEvents}; failures are handled by {@link WorkerErrorHandling}). The broker acknowledges the job only after the reply is published, so a worker that dies mid-job loses nothing.
 */
public final class WorkerRoutes extends RouteBuilder {

    public static final String ROUTE_ID = "worker";

    @Override
    public void configure() {
        CaravanSettings settings = getContext().getRegistry().findSingleByType(CaravanSettings.class);
        TaskSettings tasks = getContext().getRegistry().findSingleByType(TaskSettings.class);
        // a worker that only runs tasks (a GPU machine: caravan.worker.judge-jobs=false) never takes judge jobs
        if (!settings.role().executesJobs() || (tasks != null && !tasks.judgeJobs())) {
            return;
        }
        QueueNames queues = settings.queues();

        SpringRabbitMQEndpoint jobs = getContext().getEndpoint("spring-rabbitmq:" + queues.exchange()
                + "?queues=" + queues.execute()
                + "&routingKey=" + QueueNames.EXECUTE_ROUTING_KEY
                + "&autoDeclare=false"
                + "&acknowledgeMode=AUTO"
                + "&prefetchCount=1"
                + "&concurrentConsumers=" + settings.workerConcurrency()
                // Camel's error handler owns retries; Spring's own retry would multiply them.
                + "&maximumRetryAttempts=0", SpringRabbitMQEndpoint.class);
        jobs.setMessagePropertiesConverter(new JobMessageProperties());
        from(jobs)
                .routeId(ROUTE_ID)
                .routeConfigurationId(WorkerErrorHandling.ID)
                .bean("jobEvents", "started")
                .process("jobRunner")
                .bean("jobEvents", "done");
    }
}
