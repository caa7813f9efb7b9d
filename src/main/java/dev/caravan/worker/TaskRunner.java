package dev.caravan.worker;

import dev.caravan.contract.Job;
import dev.caravan.contract.Json;
import dev.caravan.contract.TaskResult;
import dev.caravan.contract.TaskRun;
import dev.caravan.engine.TaskNotInstalledException;
import dev.caravan.queue.JobHeaders;
import dev.caravan.sandbox.TaskExecutor;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task message in its slot and leaves the {@link TaskResult} as the reply, as {@link JobRunner} does for a
 * program. A task that FAILED runs again in the same slot until it is DONE or has had its type's {@code max_attempts};
 * the last run's verdict is the answer. A TIMEOUT is not run again. A fault of the machine is thrown to the worker's
 * error handling (retry, then dead letter); a task whose command this host lacks is parked at once
 * ({@code not_installed}).
 */
public final class TaskRunner implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    /** Exchange property with the task's {@link TaskLease}, when a {@link TaskSlotFeeder} took it. */
    static final String LEASE = "caravanTaskLease";

    private final TaskExecutor executor;
    private final TaskSlot slot;
    private final WorkerStats stats;
    private final String worker;
    private final double crashRate;

    /** @param crashRate {@code caravan.chaos.crash-rate}: the share of runs during which the worker halts, as a crash would */
    public TaskRunner(TaskExecutor executor, TaskSlot slot, WorkerStats stats, String worker, double crashRate) {
        this.crashRate = crashRate;
        this.executor = executor;
        this.slot = slot;
        this.stats = stats;
        this.worker = worker;
    }

    /** One run; its start and end are logged, so a timeline of the slots can be read from the log. */
    private TaskResult run(String jobId, TaskRun task) {
        LOG.info("task={} type={} slot={} started", jobId, task.type(), slot.name());
        if (crashRate > 0 && ThreadLocalRandom.current().nextDouble() < crashRate) {
            FaultInjectingEngine.crashSoon("task " + jobId, crashRate);
        }
        return executor.run(jobId, task, slot.index(), slot.gpu(), worker);
    }

    private static boolean lost(TaskLease lease) {
        return lease != null && lease.lost();
    }

    @Override
    public void process(Exchange exchange) {
        int attempt = exchange.getProperty(JobRunner.ATTEMPTS, 0, Integer.class) + 1;
        exchange.setProperty(JobRunner.ATTEMPTS, attempt);
        Message message = exchange.getMessage();
        Job job = JobRunner.readJob(message);
        TaskRun task = job.task();
        if (task == null) {
            throw UnrunnableJobException.poison("job " + job.id() + " is not a task, yet it came to a task queue", null);
        }
        JobRunner.requireSomeoneWaiting(message.getHeader(JobHeaders.DEADLINE, Long.class), job);
        long started = System.nanoTime();
        stats.started(JobRunner.waited(message));
        slot.started(job.id());
        TaskLease lease = exchange.getProperty(LEASE, TaskLease.class);
        if (lease != null) {
            lease.onLost(() -> executor.stop(slot.index()));
        }
        try {
            TaskResult result = run(job.id(), task);
            for (int run = 2; result.verdict() == TaskResult.TaskVerdict.FAILED && run <= task.maxAttempts()
                    && !lost(lease); run++) {
                stats.retried();
                LOG.info("task={} type={} slot={} FAILED (exit {}), run {} of {}", job.id(), task.type(), slot.name(),
                        result.exitCode(), run, task.maxAttempts());
                result = run(job.id(), task).afterAttempts(run);
            }
            long tookNanos = System.nanoTime() - started;
            if (lost(lease)) {
                // the task runs again elsewhere from its lease's copy: this run says nothing, to the caller or the store
                slot.released();
                stats.outOfTime();
                exchange.setRouteStop(true);
                return;
            }
            slot.finished(tookNanos);
            stats.completedTask(result, tookNanos);
            JobOutcome.COMPLETED.reply(message, Json.write(result));
            LOG.info("task={} type={} slot={} verdict={} exit={} ms={} attempt={}", job.id(), task.type(), slot.name(),
                    result.verdict(), result.exitCode(), tookNanos / 1_000_000, attempt);
        } catch (TaskNotInstalledException e) {
            slot.released();
            stats.attemptFailed();
            throw UnrunnableJobException.notInstalled(e.getMessage());
        } catch (RuntimeException e) {
            slot.released();
            stats.attemptFailed();
            throw e;
        }
    }
}
