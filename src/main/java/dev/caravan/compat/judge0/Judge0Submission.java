package dev.caravan.compat.judge0;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.JobState;
import dev.caravan.contract.Json;
import dev.caravan.store.JobRecord;
import java.io.IOException;
import java.time.Instant;

/**
 * What Caravan knows of one submission, whichever way it was learnt: from the store's record ({@code GET}) or from
 * the worker's reply ({@code POST ?wait=true}, before the record has caught up).
 *
 * @param result the worker's result once the job is DONE, else null
 * @param failure why a job ended without a result (set aside, expired, cancelled), else null
 */
public record Judge0Submission(String token, JobState state, String language, ExecuteResult result,
                               Instant createdAt, Instant finishedAt, String failure) {

    /** From the store's record; a DONE record's result is the worker's {@link ExecuteResult}. */
    public static Judge0Submission of(JobRecord record) {
        ExecuteResult result = record.status() == JobState.DONE ? executeResult(record.result()) : null;
        String failure = record.status().isFinal() && result == null
                ? (record.lastFailure() != null ? record.lastFailure() : "the job ended " + record.status()) : null;
        return new Judge0Submission(record.id(), record.status(), record.language(), result,
                record.submittedAt(), record.finishedAt(), failure);
    }

    private static ExecuteResult executeResult(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        try {
            return Json.read(Json.write(node), ExecuteResult.class);
        } catch (IOException e) {
            return null;
        }
    }
}
