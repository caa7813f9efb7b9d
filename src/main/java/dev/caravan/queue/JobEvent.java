package dev.caravan.queue;

import dev.caravan.contract.JobState;
import java.time.Instant;

/**
 * What a worker tells the store about a job, sent to the results exchange: the AMQP message id is the job id, these
 * fields travel as headers and the result (when there is one) as the JSON body.
 *
 * @param kind   what happened
 * @param state  the final state, for {@link Kind#FINISHED} only
 * @param worker the worker process that sent it
 * @param reason why an attempt failed or the job was not DONE, or null
 * @param result the JSON body: the {@code /execute} result of a DONE job, else null
 */
public record JobEvent(String jobId, Kind kind, JobState state, String worker, String reason, Instant at, byte[] result) {

    /** The kinds of event, in the order a job's life produces them. */
    public enum Kind {
        /** A worker took the job (a redelivered one is taken again). */
        STARTED,
        /** An attempt failed for an infrastructure reason and will be retried. */
        ATTEMPT_FAILED,
        /** The job ended: DONE, DEAD_LETTERED or EXPIRED. */
        FINISHED
    }

    public static final String KIND = "x-caravan-event";
    public static final String STATE = "x-caravan-state";
    public static final String WORKER = "x-caravan-worker";
    public static final String REASON = "x-caravan-reason";
    public static final String AT = "x-caravan-at";
}
