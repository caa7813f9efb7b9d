package dev.caravan.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * How long one attempt at a job may still run: until the job's wall-time budget
 * ({@code caravan.limits.max-job-wall-time}) counted from the start of the attempt, or until its caller's deadline
 * (the {@code x-caravan-deadline} header of a synchronous job), whichever comes first. The compile and every test
 * come out of it: an engine runs no further test once it is spent, and cuts the wall-time limit of the current run to
 * what remains. Measured on the monotonic clock, so a wall-clock step does not stretch or end it.
 */
public final class JobBudget {

    /** What ends the budget, so that the worker can tell an abandoned job from one that ran too long. */
    public enum Limit {
        /** The caller stopped waiting: nobody will read the answer. */
        CALLER_DEADLINE,
        /** The job used up {@code caravan.limits.max-job-wall-time}. */
        JOB_WALL_TIME
    }

    private final long endNanos;
    private final Limit limit;
    private final String description;

    private JobBudget(long endNanos, Limit limit, String description) {
        this.endNanos = endNanos;
        this.limit = limit;
        this.description = description;
    }

    /**
     * A budget starting now.
     *
     * @param maxJobWallTime  the most one attempt may take
     * @param deadlineEpochMs when the caller stops waiting (epoch milliseconds), or null when nobody waits
     */
    public static JobBudget startingNow(Duration maxJobWallTime, Long deadlineEpochMs) {
        long now = System.nanoTime();
        long untilDeadlineMs = deadlineEpochMs == null ? Long.MAX_VALUE : deadlineEpochMs - System.currentTimeMillis();
        if (untilDeadlineMs < maxJobWallTime.toMillis()) {
            return new JobBudget(now + TimeUnit.MILLISECONDS.toNanos(untilDeadlineMs), Limit.CALLER_DEADLINE,
                    "its caller's deadline (" + Instant.ofEpochMilli(deadlineEpochMs) + ")");
        }
        return new JobBudget(now + maxJobWallTime.toNanos(), Limit.JOB_WALL_TIME,
                "its wall-time budget of " + maxJobWallTime.toMillis() + " ms (caravan.limits.max-job-wall-time)");
    }

    /** Milliseconds left; zero or less once spent. */
    public long remainingMs() {
        return TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime());
    }

    /** Whether nothing is left: no further run may start. */
    public boolean spent() {
        return remainingMs() <= 0;
    }

    /** A run's wall-time limit, cut to what is left of the budget (at least 1 ms, so that a run is never unlimited). */
    public long cut(long wallTimeMs) {
        return Math.max(1, Math.min(wallTimeMs, remainingMs()));
    }

    /** Which limit ends this budget: the caller's deadline when it comes before the job wall-time budget. */
    public Limit limit() {
        return limit;
    }

    /** What ends this budget, for messages: "its caller's deadline (…)" or "its wall-time budget of … ms (…)". */
    @Override
    public String toString() {
        return description;
    }
}
