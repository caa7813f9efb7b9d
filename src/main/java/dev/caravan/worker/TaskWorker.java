package dev.caravan.worker;

import dev.caravan.sandbox.TaskExecutor;
import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;
import java.util.List;

/**
 * What a worker needs to run tasks: its slots (GPUs first, then CPU task slots) and the executor they share.
 *
 * @param worker       this process's name, put in each result
 * @param connections  the broker's client factory, for the slots' own connections
 * @param leaseRenewal how often a running task's lease is renewed: well under the broker's consumer timeout
 * @param crashRate    {@code caravan.chaos.crash-rate}, for the scenarios: the share of task runs that halt the worker
 */
public record TaskWorker(List<TaskSlot> slots, TaskExecutor executor, WorkerStats stats, String worker,
                         ConnectionFactory connections, Duration leaseRenewal, double crashRate) {

    public TaskWorker {
        slots = List.copyOf(slots);
        slots.forEach(stats::add);
    }
}
