package dev.caravan.worker;

/**
 * A job no retry can help: it cannot be read ({@code poison}), its caller stopped waiting ({@code expired}), it
 * needs more time than a job may take ({@code over_budget}, see {@code caravan.limits.max-job-wall-time}), or it is a
 * task whose command this worker lacks ({@code not_installed}). It goes
 * straight to the dead-letter queue with that reason.
 */
public class UnrunnableJobException extends RuntimeException {

    private final String reason;

    private UnrunnableJobException(String reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public static UnrunnableJobException poison(String message, Throwable cause) {
        return new UnrunnableJobException("poison", message, cause);
    }

    public static UnrunnableJobException expired(String message) {
        return new UnrunnableJobException("expired", message, null);
    }

    /** The job needs, or used up, more than {@code caravan.limits.max-job-wall-time}. */
    public static UnrunnableJobException overBudget(String message) {
        return new UnrunnableJobException("over_budget", message, null);
    }

    /** A task whose command or read-only binds are not on this worker: the operator installs them, then replays it. */
    public static UnrunnableJobException notInstalled(String message) {
        return new UnrunnableJobException("not_installed", message, null);
    }

    public String reason() {
        return reason;
    }
}
