package dev.caravan.callbacks;

import dev.caravan.store.JobRecord;

/**
 * How an adapter's callbacks are sent (Judge0 PUTs the submission in its own shape): the HTTP method and the JSON
 * body made from the job's record. Caravan's own format, a POST of the record, needs none.
 */
public interface CallbackFormat {

    /** "PUT", "POST". */
    String method();

    /** The JSON body for this record. */
    byte[] body(JobRecord record);
}
