package dev.caravan.compat.judge0;

import dev.caravan.callbacks.CallbackFormat;
import dev.caravan.contract.Json;
import dev.caravan.store.JobRecord;

/**
 * Judge0's callback: a PUT of the submission with its default fields, base64-encoded (judge0/judge0 v1.13.1
 * app/jobs/isolate_job.rb {@code call_callback}). Caravan's callback machinery sends it, so unlike Judge0's single
 * try it is retried with backoff and its attempts are kept on the job's record.
 */
public final class Judge0CallbackFormat implements CallbackFormat {

    private final Judge0SubmissionMapper submissions;

    public Judge0CallbackFormat(Judge0SubmissionMapper submissions) {
        this.submissions = submissions;
    }

    @Override
    public String method() {
        return "PUT";
    }

    @Override
    public byte[] body(JobRecord record) {
        return Json.write(submissions.map(Judge0Submission.of(record), Judge0SubmissionMapper.DEFAULT_FIELDS, true));
    }
}
