package dev.caravan.worker;

import dev.caravan.config.CaravanSettings;
import dev.caravan.config.QueueNames;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;

/**
 * The task slots' consuming routes: one route per slot, each one consumer with prefetch 1, so a slot holds one task at
 * a time and never more. GPU slots consume the GPU task queue, CPU task slots the CPU task queue; neither takes judge
 * jobs, which have their own queue and slots ({@link WorkerRoutes}). A slot's route is as the judge's: reports to the
 * store ({@link JobEvents}) and {@link WorkerErrorHandling}.
 */
public final class TaskRoutes extends RouteBuilder {

    @Override
    public void configure() {
        CaravanSettings settings = getContext().getRegistry().findSingleByType(CaravanSettings.class);
        TaskWorker tasks = getContext().getRegistry().findSingleByType(TaskWorker.class);
        if (!settings.role().executesJobs() || tasks == null) {
            return;
        }
        QueueNames queues = settings.queues();
        for (TaskSlot slot : tasks.slots()) {
            boolean gpu = slot.gpu() != null;
            SpringRabbitMQEndpoint endpoint = getContext().getEndpoint("spring-rabbitmq:" + queues.exchange()
                    + "?queues=" + (gpu ? queues.taskGpu() : queues.taskCpu())
                    + "&routingKey=" + (gpu ? QueueNames.TASK_GPU_ROUTING_KEY : QueueNames.TASK_CPU_ROUTING_KEY)
                    + "&autoDeclare=false"
                    + "&acknowledgeMode=AUTO"
                    + "&prefetchCount=1"
                    + "&concurrentConsumers=1"
                    // one endpoint per slot (Camel allows one consumer per endpoint); the broker only prefers a higher
                    // priority among idle slots, and passes a task to the next idle one while a slot is busy
                    + "&arg.consumer.x-priority=" + slot.index()
                    + "&maximumRetryAttempts=0", SpringRabbitMQEndpoint.class);
            endpoint.setMessagePropertiesConverter(new JobMessageProperties());
            // the URI carries the priority as text, which the broker refuses: x-priority must be an integer
            Map<String, Object> args = new HashMap<>(endpoint.getArgs());
            args.put(SpringRabbitMQEndpoint.CONSUMER_ARG_PREFIX + "x-priority", slot.index());
            endpoint.setArgs(args);
            from(endpoint)
                    .routeId("task-" + slot.name())
                    .routeConfigurationId(WorkerErrorHandling.ID)
                    .bean("jobEvents", "started")
                    .process(new TaskRunner(tasks.executor(), slot, tasks.stats(), tasks.worker()))
                    .bean("jobEvents", "done");
        }
    }
}
