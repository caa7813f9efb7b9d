-- One row per job, written by the store route from the events workers publish. Times are epoch milliseconds, so
-- that the same script runs on H2 and PostgreSQL without time-zone differences.
CREATE TABLE job_records (
    id                     VARCHAR(36)  PRIMARY KEY,
    status                 VARCHAR(16)  NOT NULL,
    language               VARCHAR(64)  NOT NULL,
    submitted_at           BIGINT       NOT NULL,
    expires_at             BIGINT       NOT NULL,
    started_at             BIGINT,
    finished_at            BIGINT,
    attempts               INTEGER      NOT NULL DEFAULT 0,
    worker                 VARCHAR(255),
    last_failure           VARCHAR(2000),
    result                 TEXT,
    callback_url           VARCHAR(2048),
    callback_headers       TEXT,
    callback_attempts      INTEGER      NOT NULL DEFAULT 0,
    callback_last_status   INTEGER,
    callback_last_error    VARCHAR(2000),
    callback_delivered_at  BIGINT
);

-- Queue position counts earlier QUEUED jobs; the sweep finds overdue ones.
CREATE INDEX job_records_status_submitted ON job_records (status, submitted_at);
-- Retention deletes the oldest first.
CREATE INDEX job_records_submitted ON job_records (submitted_at);
