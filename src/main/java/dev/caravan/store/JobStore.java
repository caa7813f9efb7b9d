package dev.caravan.store;

import dev.caravan.contract.Callback;
import dev.caravan.contract.JobState;
import dev.caravan.contract.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Job records: the Java API of the store, used by the HTTP endpoints, the store route that applies workers' events,
 * the callback sender and the sweep (and by adapters such as Judge0's that map their tokens onto job ids).
 *
 * <p>A record only moves forward: QUEUED to RUNNING to a final state, each change a conditional UPDATE, so events that
 * arrive twice or out of order (a redelivered result, a late "started") change nothing and are reported as such.
 * Every method throws {@link StoreUnavailableException} when the database cannot be reached or fails.
 */
public final class JobStore {

    private static final String COLUMNS = "id, status, language, submitted_at, started_at, finished_at, attempts, worker,"
            + " last_failure, result, callback_url, callback_attempts, callback_last_status, callback_last_error,"
            + " callback_delivered_at";
    private static final String STILL_OPEN = "status IN ('QUEUED', 'RUNNING')";
    private static final int TEXT_COLUMN_CHARS = 2000;

    private final DataSource database;

    public JobStore(DataSource database) {
        this.database = database;
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T withConnection(Work<T> work) {
        try (Connection connection = database.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    private int update(String sql, Object... parameters) {
        return withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, parameters);
                return statement.executeUpdate();
            }
        });
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value instanceof Instant instant) {
                statement.setLong(i + 1, instant.toEpochMilli());
            } else if (value instanceof JobState state) {
                statement.setString(i + 1, state.name());
            } else if (value == null) {
                statement.setNull(i + 1, Types.NULL);
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    private static String clip(String text) {
        return text == null || text.length() <= TEXT_COLUMN_CHARS ? text : text.substring(0, TEXT_COLUMN_CHARS);
    }

    /** Records a job as QUEUED, before it is published, so that no job the broker holds lacks a record. */
    public void insertQueued(NewJob job) {
        Callback callback = job.callback();
        update("INSERT INTO job_records (id, status, language, submitted_at, expires_at, callback_url, callback_headers,"
                        + " callback_format) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                job.id(), JobState.QUEUED, job.language(), job.submittedAt(), job.expiresAt(),
                callback == null ? null : callback.url(),
                callback == null ? null : new String(Json.write(callback.headers()), StandardCharsets.UTF_8),
                callback == null ? null : callback.format());
    }

    /** Removes the record of a job that was never published (the broker refused it), if it is still QUEUED. */
    public void discardQueued(String id) {
        update("DELETE FROM job_records WHERE id = ? AND status = 'QUEUED'", id);
    }

    /** The record of a job, without its queue position; empty when there is none (never was, or deleted). */
    public Optional<JobRecord> find(String id) {
        return Optional.ofNullable(findAll(List.of(id)).get(0));
    }

    /** The records of these jobs in the same order, null where there is none. */
    public List<JobRecord> findAll(List<String> ids) {
        Map<String, JobRecord> found = new HashMap<>();
        withConnection(connection -> {
            String marks = String.join(", ", Collections.nCopies(Math.max(ids.size(), 1), "?"));
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM job_records WHERE id IN (" + marks + ")")) {
                bind(statement, ids.isEmpty() ? new Object[] {""} : ids.toArray());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        JobRecord record = read(rows);
                        found.put(record.id(), record);
                    }
                }
            }
            return null;
        });
        List<JobRecord> ordered = new ArrayList<>(ids.size());
        ids.forEach(id -> ordered.add(found.get(id)));
        return ordered;
    }

    /** The {@code limit} most recently submitted records, newest first (the operator's page's recent jobs). */
    public List<JobRecord> recent(int limit) {
        return withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM job_records ORDER BY submitted_at DESC LIMIT ?")) {
                bind(statement, limit);
                List<JobRecord> records = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        records.add(read(rows));
                    }
                }
                return records;
            }
        });
    }

    private static JobRecord read(ResultSet rows) throws SQLException {
        String callbackUrl = rows.getString("callback_url");
        JobRecord.CallbackDelivery callback = callbackUrl == null ? null : new JobRecord.CallbackDelivery(callbackUrl,
                rows.getInt("callback_attempts"), rows.getObject("callback_last_status", Integer.class),
                rows.getString("callback_last_error"), instant(rows, "callback_delivered_at"));
        String result = rows.getString("result");
        return new JobRecord(rows.getString("id"), JobState.valueOf(rows.getString("status")),
                rows.getString("language"), instant(rows, "submitted_at"), instant(rows, "started_at"),
                instant(rows, "finished_at"), rows.getInt("attempts"), rows.getString("worker"),
                result == null ? null : Json.treeOrText(result.getBytes(StandardCharsets.UTF_8)),
                rows.getString("last_failure"), null, callback);
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        long millis = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /**
     * A worker took the job (again, after a failed delivery): RUNNING, one attempt more.
     *
     * @return false when the record had already ended (a late or repeated event) or does not exist
     */
    public boolean markStarted(String id, String worker, Instant at) {
        return update("UPDATE job_records SET status = 'RUNNING', started_at = ?, worker = ?, attempts = attempts + 1"
                + " WHERE id = ? AND " + STILL_OPEN, at, worker, id) == 1;
    }

    /**
     * A "started" event that reached the store after its job's end: the two travel on different channels of the
     * worker's connection, and the start is not confirmed, so their order is not kept. It fills in when and where
     * the job ran, and its first attempt, where the end left them empty; a record that already has them, or one
     * that ended without running (EXPIRED, CANCELLED), is left as it is.
     *
     * @return true when the record was completed by this call
     */
    public boolean completeLateStart(String id, String worker, Instant at) {
        return update("UPDATE job_records SET started_at = ?, worker = COALESCE(worker, ?),"
                + " attempts = GREATEST(attempts, 1) WHERE id = ? AND started_at IS NULL"
                + " AND status IN ('DONE', 'DEAD_LETTERED')", at, worker, id) == 1;
    }

    /**
     * An attempt failed and will be retried: one attempt more (the retry is not reported as a new start), and why,
     * for {@code last_failure}.
     *
     * @return false when the record had already ended or does not exist
     */
    public boolean recordFailedAttempt(String id, String reason) {
        return update("UPDATE job_records SET last_failure = ?, attempts = attempts + 1 WHERE id = ? AND " + STILL_OPEN,
                clip(reason), id) == 1;
    }

    /**
     * The job ended. Only the first end counts: a second result for the same job (a redelivered or duplicated
     * message) leaves the record as it is.
     *
     * @param result  the JSON to keep as {@code result}, or null
     * @param failure why it did not end DONE, or null
     * @return true when this call ended the job, false when it had already ended or has no record
     * @throws IllegalArgumentException when {@code state} is not final
     */
    public boolean finish(String id, JobState state, byte[] result, String failure, Instant at) {
        if (!state.isFinal()) {
            throw new IllegalArgumentException(state + " is not a final state");
        }
        return update("UPDATE job_records SET status = ?, finished_at = ?, result = ?,"
                        + " last_failure = COALESCE(?, last_failure) WHERE id = ? AND " + STILL_OPEN,
                state, at, result == null ? null : new String(result, StandardCharsets.UTF_8), clip(failure), id) == 1;
    }

    /** What {@link #cancelOrDelete} did. */
    public enum Removal {
        /** The job was QUEUED and is now CANCELLED; it will not run. */
        CANCELLED,
        /** The job had ended: its record and result are gone. */
        DELETED,
        /** The job is running and cannot be stopped. */
        RUNNING,
        /** There is no such record. */
        NOT_FOUND
    }

    /** {@code DELETE /jobs/{id}}: cancels a QUEUED job, deletes an ended one, refuses a RUNNING one. */
    public Removal cancelOrDelete(String id, Instant at) {
        if (update("UPDATE job_records SET status = 'CANCELLED', finished_at = ? WHERE id = ? AND status = 'QUEUED'",
                at, id) == 1) {
            return Removal.CANCELLED;
        }
        if (update("DELETE FROM job_records WHERE id = ? AND NOT " + STILL_OPEN, id) == 1) {
            return Removal.DELETED;
        }
        return find(id).isPresent() ? Removal.RUNNING : Removal.NOT_FOUND;
    }

    /** Jobs QUEUED earlier than this one, for its queue position. */
    public long queuedBefore(Instant submittedAt) {
        return withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT COUNT(*) FROM job_records WHERE status = 'QUEUED' AND submitted_at < ?")) {
                bind(statement, submittedAt);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    /**
     * Ends as EXPIRED, in one statement, the QUEUED jobs without a callback whose time in the queue ended before
     * {@code cutoff} (the broker has dropped them); returns how many.
     */
    public int expireQueuedBefore(Instant cutoff, String reason, Instant at) {
        return update("UPDATE job_records SET status = 'EXPIRED', finished_at = ?, last_failure = ?"
                + " WHERE status = 'QUEUED' AND expires_at < ? AND callback_url IS NULL", at, clip(reason), cutoff);
    }

    /** Ids of QUEUED jobs with a callback whose time in the queue ended before {@code cutoff}, oldest first. */
    public List<String> queuedWithCallbackExpiredBefore(Instant cutoff, int limit) {
        return withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM job_records WHERE status = 'QUEUED'"
                    + " AND expires_at < ? AND callback_url IS NOT NULL ORDER BY submitted_at LIMIT ?")) {
                bind(statement, cutoff, limit);
                List<String> ids = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    /** Deletes up to {@code limit} of the records submitted before {@code cutoff}, oldest first; returns how many. */
    public int deleteSubmittedBefore(Instant cutoff, int limit) {
        return update("DELETE FROM job_records WHERE id IN (SELECT id FROM job_records WHERE submitted_at < ?"
                + " ORDER BY submitted_at LIMIT ?)", cutoff, limit);
    }

    /** Where, with which headers and in which format to send the job's callback; empty when none was asked for. */
    public Optional<Callback> callback(String id) {
        return withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT callback_url, callback_headers, callback_format FROM job_records WHERE id = ?"
                            + " AND callback_url IS NOT NULL")) {
                bind(statement, id);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Callback(rows.getString(1), headers(rows.getString(2)), rows.getString(3)));
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> headers(String json) {
        try {
            return json == null ? Map.of() : Json.read(json.getBytes(StandardCharsets.UTF_8), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable callback headers", e);
        }
    }

    /**
     * One POST of the callback happened.
     *
     * @param status      its HTTP status, or null when none came
     * @param error       why it failed, or null when it was answered 2xx
     * @param deliveredAt when it was answered 2xx, or null
     */
    public void recordCallbackAttempt(String id, Integer status, String error, Instant deliveredAt) {
        update("UPDATE job_records SET callback_attempts = callback_attempts + 1, callback_last_status = ?,"
                        + " callback_last_error = ?, callback_delivered_at = ? WHERE id = ?",
                status, clip(error), deliveredAt, id);
    }
}
