package dev.caravan.worker;

import dev.caravan.config.RequestLimits;
import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Json;
import dev.caravan.engine.ExecutionEngine;
import dev.caravan.engine.JobBudget;
import dev.caravan.engine.JobOutOfTimeException;
import dev.caravan.queue.JobHeaders;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job message through the engine and leaves the result as the reply. The message is not touched
 * until the result exists, so a retry after a failure sees the job exactly as it arrived.
 *
 * <p>Each attempt runs within a {@link JobBudget}: {@code caravan.limits.max-job-wall-time} from its start, cut to the
 * caller's deadline when one waits. A job that cannot fit is refused before it runs; one that runs out stops before its
 * next test. Either way it is dead-lettered without a retry ({@code over_budget}, or {@code expired} when the caller's
 * deadline ended it), its message saying what had been run.
 */
public final class JobRunner implements Processor {

    /** Exchange property counting this worker's attempts at the job; Camel drops its own counter once handled. */
    public static final String ATTEMPTS = "caravanAttempts";

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final ExecutionEngine engine;
    private final WorkerStats stats;
    private final RequestLimits limits;

    /** @param limits for {@link RequestLimits#maxJobWallTime()}, the budget of every attempt */
    public JobRunner(ExecutionEngine engine, WorkerStats stats, RequestLimits limits) {
        this.engine = engine;
        this.stats = stats;
        this.limits = limits;
    }

    static Job readJob(Message message) {
        Integer version = message.getHeader(JobHeaders.VERSION, Integer.class);
        if (version == null || version != JobHeaders.CURRENT_VERSION) {
            throw UnrunnableJobException.poison("job format version " + version + " is not "
                    + JobHeaders.CURRENT_VERSION + ", the one this worker reads", null);
        }
        try {
            return Json.read(message.getBody(byte[].class), Job.class);
        } catch (IOException | RuntimeException e) {
            throw UnrunnableJobException.poison("unreadable job: " + e.getMessage(), e);
        }
    }

    /** The broker expires jobs only at the head of the queue; a job can still arrive after its caller left. */
    static void requireSomeoneWaiting(Long deadline, Job job) {
        if (deadline != null && System.currentTimeMillis() > deadline) {
            throw UnrunnableJobException.expired("job " + job.id() + " arrived after its caller stopped waiting at "
                    + Instant.ofEpochMilli(deadline));
        }
    }

    /** The ingress refuses such jobs; this catches those queued under other settings, or replayed after a change. */
    private void requireWithinJobWallTime(Job job) {
        limits.jobWallTimeExcess(job).ifPresent(excess -> {
            throw UnrunnableJobException.overBudget("job " + job.id() + ": " + excess + " (caravan.limits.max-job-wall-time)");
        });
    }

    static Duration waited(Message message) {
        Long published = message.getHeader(JobHeaders.PUBLISHED_AT, Long.class);
        return published == null ? Duration.ofMillis(-1) : Duration.ofMillis(System.currentTimeMillis() - published);
    }

    /** Which broker delivery of the job this is (a worker that died mid-job used the earlier ones). */
    private static int delivery(Message message) {
        return message.getHeader(JobMessageProperties.QUORUM_DELIVERY_COUNT, 0, Integer.class) + 1;
    }

    @Override
    public void process(Exchange exchange) {
        int attempt = exchange.getProperty(ATTEMPTS, 0, Integer.class) + 1;
        exchange.setProperty(ATTEMPTS, attempt);
        Message message = exchange.getMessage();
        Job job = readJob(message);
        if (job.task() != null) {
            throw UnrunnableJobException.poison("job " + job.id() + " is a task, which the judge queue's workers do not run", null);
        }
        Long deadline = message.getHeader(JobHeaders.DEADLINE, Long.class);
        requireSomeoneWaiting(deadline, job);
        requireWithinJobWallTime(job);
        int delivery = delivery(message);
        long started = System.nanoTime();
        stats.started(waited(message));
        try {
            ExecuteResult result = engine.execute(job, JobBudget.startingNow(limits.maxJobWallTime(), deadline));
            stats.executed(System.nanoTime() - started);
            JobOutcome.COMPLETED.reply(message, Json.write(result));
            long tookNanos = System.nanoTime() - started;
            stats.completed(result, tookNanos);
            LOG.info("job={} language={} status={} tests={} ms={} attempt={} delivery={}", job.id(), job.language(),
                    result.status(), result.tests().size(), tookNanos / 1_000_000, attempt, delivery);
        } catch (JobOutOfTimeException e) {
            stats.outOfTime();
            throw e.limit() == JobBudget.Limit.CALLER_DEADLINE ? UnrunnableJobException.expired(e.getMessage())
                    : UnrunnableJobException.overBudget(e.getMessage());
        } catch (RuntimeException e) {
            stats.attemptFailed();
            throw e;
        }
    }
}
