package dev.caravan.worker;

import dev.caravan.queue.BrokerConnections;
import dev.caravan.sandbox.TaskExecutor;
import java.time.Duration;
import java.util.List;

/**
 * What a worker needs to run tasks: its slots (GPUs first, then CPU task slots) and the executor they share.
 *
 * @param worker       this process's name, put in each result
 * @param connections  the broker's connections: each slot opens a dedicated one to any node of the broker
 * @param leaseRenewal how often a running task's lease is renewed: well under the broker's consumer timeout
 * @param crashRate    {@code caravan.chaos.crash-rate}, for the scenarios: the share of task runs that halt the worker
 */
public record TaskWorker(List<TaskSlot> slots, TaskExecutor executor, WorkerStats stats, String worker,
                         BrokerConnections connections, Duration leaseRenewal, double crashRate) {

    public TaskWorker {
        slots = List.copyOf(slots);
        slots.forEach(stats::add);
    }
}
