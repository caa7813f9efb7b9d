package dev.caravan.worker;

import dev.caravan.contract.Status;
import dev.caravan.contract.Json;
import dev.caravan.ingress.ApiError;
import dev.caravan.queue.DeadLetter;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job that failed every attempt: it is parked on the dead-letter queue with the reasons an operator needs,
 * and its caller is told so, instead of waiting out its timeout or getting its own request back.
 */
public final class DeadLettering {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLettering.class);

    private static final String NOT_INSTALLED = UnrunnableJobException.notInstalled("").reason();

    private final String workerName;
    private final WorkerStats stats;

    public DeadLettering(String workerName, WorkerStats stats) {
        this.workerName = workerName;
        this.stats = stats;
    }

    /** Turns the exchange into the dead-letter message: the job as it arrived, plus why it is here. */
    public void stamp(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message message = exchange.getMessage();
        String jobId = message.getHeader(SpringRabbitMQConstants.MESSAGE_ID, String.class);
        int attempts = exchange.getProperty(JobRunner.ATTEMPTS, 0, Integer.class);
        String now = Instant.now().toString();
        String firstTime = message.getHeader(DeadLetter.FIRST_DEAD_LETTERED_AT, now, String.class);
        // Keep the request's reply-to and expiration off the parked copy: it must neither expire nor answer.
        message.removeHeaders("*");
        message.setHeader(SpringRabbitMQConstants.MESSAGE_ID, jobId);
        message.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, Json.CONTENT_TYPE);
        String reason = reason(failure);
        message.setHeader(DeadLetter.REASON, reason);
        message.setHeader(DeadLetter.EXCEPTION, failure == null ? "" : String.valueOf(failure.getMessage()));
        message.setHeader(DeadLetter.ATTEMPTS, attempts);
        message.setHeader(DeadLetter.WORKER, workerName);
        message.setHeader(DeadLetter.FIRST_DEAD_LETTERED_AT, firstTime);
        message.setHeader(DeadLetter.DEAD_LETTERED_AT, now);
        stats.deadLettered(reason);
        LOG.warn("job={} dead-lettered after {} attempts: {}", jobId, attempts, failure == null ? "" : failure.toString());
    }

    /** Why the job is parked: poison or expired, else the class of the fault that exhausted its retries. */
    private static String reason(Throwable failure) {
        if (failure instanceof UnrunnableJobException unrunnable) {
            return unrunnable.reason();
        }
        return failure == null ? "unknown" : failure.getClass().getName();
    }

    /** Replaces the exchange with the caller's error reply. */
    public void reply(Exchange exchange) {
        Message message = exchange.getMessage();
        String jobId = message.getHeader(SpringRabbitMQConstants.MESSAGE_ID, String.class);
        int attempts = exchange.getProperty(JobRunner.ATTEMPTS, 0, Integer.class);
        String reason = message.getHeader(DeadLetter.REASON, String.class);
        // what a task lacks on the worker is the operator's to fix, and names no secret: the caller is told what
        String detail = NOT_INSTALLED.equals(reason) ? ": " + message.getHeader(DeadLetter.EXCEPTION, String.class) : "";
        String what = attempts <= 1 ? "the job could not be run (" + reason + detail + ")"
                : "the job failed " + attempts + " times for an internal reason (" + reason + ")";
        JobOutcome.DEAD_LETTERED.reply(message,
                Json.write(new ApiError(what + " and was dead-lettered", null, jobId, Status.INTERNAL_ERROR.name())));
    }
}
