package dev.caravan.worker;

import dev.caravan.sandbox.TaskExecutor;
import java.util.List;

/**
 * What a worker needs to run tasks: its slots (GPUs first, then CPU task slots) and the executor they share.
 *
 * @param worker this process's name, put in each result
 */
public record TaskWorker(List<TaskSlot> slots, TaskExecutor executor, WorkerStats stats, String worker) {

    public TaskWorker {
        slots = List.copyOf(slots);
        slots.forEach(stats::add);
    }
}
