package dev.caravan.queue;

/** AMQP headers a job message carries besides its JSON body. */
public final class JobHeaders {

    /** The job format's version, so a worker can park a job it cannot read instead of guessing. */
    public static final String VERSION = "x-caravan-job-version";
    public static final int CURRENT_VERSION = 1;

    /** Epoch milliseconds after which nobody waits for the answer: a worker must not start the job then. */
    public static final String DEADLINE = "x-caravan-deadline";

    /** Epoch milliseconds when the API published the job (AMQP's own timestamp has only whole seconds). */
    public static final String PUBLISHED_AT = "x-caravan-published-at";

    private JobHeaders() {
    }
}
