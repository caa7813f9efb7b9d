-- How a job's callback is sent: NULL or 'caravan' is a POST of the record; an adapter's name (Judge0's PUT of the
-- submission) is rendered by that adapter.
ALTER TABLE job_records ADD COLUMN callback_format VARCHAR(16);
