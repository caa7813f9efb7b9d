package dev.caravan.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.caravan.contract.JobState;
import java.time.Instant;

/**
 * What the store knows of one job: the body of {@code GET /jobs/{id}} and of its callback. Times serialise as
 * ISO-8601 UTC instants.
 *
 * @param result      the {@code /execute} result once DONE, else null
 * @param lastFailure why the last failed attempt failed, null while none did
 * @param queue       while QUEUED (and when the broker could be asked): the jobs ahead and the workers consuming
 * @param callback    the delivery of the callback, null when none was asked for
 */
public record JobRecord(
        String id,
        JobState status,
        String language,
        @JsonProperty("submitted_at") @JsonSerialize(using = ToStringSerializer.class) Instant submittedAt,
        @JsonProperty("started_at") @JsonSerialize(using = ToStringSerializer.class) Instant startedAt,
        @JsonProperty("finished_at") @JsonSerialize(using = ToStringSerializer.class) Instant finishedAt,
        int attempts,
        String worker,
        JsonNode result,
        @JsonProperty("last_failure") @JsonInclude(JsonInclude.Include.NON_NULL) String lastFailure,
        @JsonInclude(JsonInclude.Include.NON_NULL) QueuePosition queue,
        @JsonInclude(JsonInclude.Include.NON_NULL) CallbackDelivery callback) {

    /**
     * Where a QUEUED job stands, from the broker and the store.
     *
     * @param jobsAhead jobs submitted earlier that still wait, capped by the broker's count of waiting messages
     * @param consumers worker consumers attached to the queue
     */
    public record QueuePosition(@JsonProperty("jobs_ahead") long jobsAhead, long consumers) {
    }

    /**
     * The callback's delivery so far.
     *
     * @param lastStatus  the HTTP status of the last POST, null when it got none (refused, timed out)
     * @param lastError   why the last POST failed, null when it succeeded
     * @param deliveredAt when a POST was answered 2xx, null until then
     */
    public record CallbackDelivery(
            String url,
            int attempts,
            @JsonProperty("last_status") Integer lastStatus,
            @JsonProperty("last_error") String lastError,
            @JsonProperty("delivered_at") @JsonSerialize(using = ToStringSerializer.class) Instant deliveredAt) {
    }

    /** This record with the queue position filled in (only a QUEUED job has one). */
    public JobRecord withQueue(QueuePosition position) {
        return new JobRecord(id, status, language, submittedAt, startedAt, finishedAt, attempts, worker, result,
                lastFailure, position, callback);
    }
}
