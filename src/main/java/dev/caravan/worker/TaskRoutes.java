package dev.caravan.worker;

import dev.caravan.config.CaravanSettings;
import dev.caravan.config.QueueNames;
import org.apache.camel.builder.RouteBuilder;

/**
 * The task slots' routes: one per slot, fed one task at a time by its {@link TaskSlotFeeder} (which takes a task only
 * when the slot is idle, and holds it under a {@link TaskLease} while it runs). GPU slots take from the GPU task queue,
 * CPU task slots from the CPU task queue; neither takes judge jobs, which have their own queue and slots
 * ({@link WorkerRoutes}). A slot's route is as the judge's: reports to the store ({@link JobEvents}) and
 * {@link WorkerErrorHandling}.
 */
public final class TaskRoutes extends RouteBuilder {

    @Override
    public void configure() throws Exception {
        CaravanSettings settings = getContext().getRegistry().findSingleByType(CaravanSettings.class);
        TaskWorker tasks = getContext().getRegistry().findSingleByType(TaskWorker.class);
        if (!settings.role().executesJobs() || tasks == null) {
            return;
        }
        QueueNames queues = settings.queues();
        for (TaskSlot slot : tasks.slots()) {
            boolean gpu = slot.gpu() != null;
            String route = "direct:task-" + slot.name();
            getContext().addService(new TaskSlotFeeder(getContext(), tasks.connections(), slot,
                    gpu ? queues.taskGpu() : queues.taskCpu(), queues.exchange(),
                    gpu ? QueueNames.TASK_GPU_ROUTING_KEY : QueueNames.TASK_CPU_ROUTING_KEY, route, tasks.leaseRenewal()));
            from(route)
                    .routeId("task-" + slot.name())
                    .routeConfigurationId(WorkerErrorHandling.ID)
                    .bean("jobEvents", "started")
                    .process(new TaskRunner(tasks.executor(), slot, tasks.stats(), tasks.worker(), tasks.crashRate()))
                    .bean("jobEvents", "done");
        }
    }
}
