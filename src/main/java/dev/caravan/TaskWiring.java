package dev.caravan;

import dev.caravan.config.CaravanSettings;
import dev.caravan.config.SettingsReader;
import dev.caravan.config.StartupRefusedException;
import dev.caravan.config.TaskSettings;
import dev.caravan.ingress.TaskEndpoints;
import dev.caravan.queue.BrokerConnections;
import dev.caravan.sandbox.SandboxedEngine;
import dev.caravan.sandbox.TaskExecutor;
import dev.caravan.store.AsyncJobs;
import dev.caravan.tasks.GpuSlots;
import dev.caravan.tasks.TaskCatalog;
import dev.caravan.worker.TaskSlot;
import dev.caravan.worker.TaskWorker;
import dev.caravan.worker.WorkerStats;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the beans of operator-defined tasks: the task types and {@code /tasks} (bound on every node, as YAML routes
 * are built whatever the role), and on a sandboxed worker its task slots, one per GPU and {@code caravan.worker.cpu-tasks}
 * for CPU tasks, for {@link dev.caravan.worker.TaskRoutes}.
 */
final class TaskWiring {

    private static final Logger LOG = LoggerFactory.getLogger(TaskWiring.class);

    private TaskWiring() {
    }

    /** @param engine the worker's sandboxed engine, or null (an API node, or the no-op engine): no task slots */
    static void bind(Registry registry, SettingsReader reader, CaravanSettings settings, SandboxedEngine engine,
                     BrokerConnections connections, WorkerStats stats, MeterRegistry metrics, String processName) {
        TaskSettings taskSettings = TaskSettings.read(reader);
        registry.bind("taskSettings", taskSettings);
        TaskCatalog catalog;
        try {
            catalog = TaskCatalog.load(taskSettings.file());
        } catch (RuntimeException e) {
            throw new StartupRefusedException("cannot read the task types: " + e.getMessage() + " (caravan.tasks.file)", e);
        }
        registry.bind("taskCatalog", catalog);
        registry.bind("taskEndpoints", new TaskEndpoints(catalog, registry.lookupByNameAndType("asyncJobs", AsyncJobs.class)));
        if (engine == null || !settings.role().executesJobs()) {
            return;
        }
        List<TaskSlot> slots = new ArrayList<>();
        for (Integer gpu : GpuSlots.resolve(taskSettings)) {
            slots.add(TaskSlot.of(slots.size(), gpu, metrics));
        }
        for (int cpu = 0; cpu < taskSettings.cpuSlots(); cpu++) {
            slots.add(TaskSlot.of(slots.size(), null, metrics));
        }
        if (slots.isEmpty()) {
            return;
        }
        TaskExecutor executor;
        try {
            executor = engine.taskExecutor(slots.size(), taskSettings.outputTailKb() * 1024L, taskSettings.outputsKb() * 1024L);
        } catch (IllegalArgumentException e) {
            throw new StartupRefusedException(e.getMessage() + ": lower caravan.worker.concurrency, caravan.worker.cpu-tasks"
                    + " or the GPUs of caravan.worker.gpus", e);
        }
        registry.bind("taskWorker", new TaskWorker(slots, executor, stats, processName,
                connections, taskSettings.leaseRenewal(), settings.chaosCrashRate()));
        LOG.info("Task slots: {}", slots.stream().map(TaskSlot::name).toList());
    }
}
