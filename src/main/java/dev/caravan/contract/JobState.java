package dev.caravan.contract;

/** Where a job is in its life, as {@code GET /jobs/{id}} reports it. Only QUEUED and RUNNING can still change. */
public enum JobState {
    QUEUED,
    RUNNING,
    DONE,
    DEAD_LETTERED,
    EXPIRED,
    CANCELLED;

    /** Whether the job has ended: nothing will run it again and its record no longer changes. */
    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }
}
