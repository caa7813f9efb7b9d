package dev.caravan.engine;

/**
 * A task's command, or a path it needs bound, is not on this worker's host: no run of it could succeed here. Not a
 * verdict on the task and not a passing fault: the operator installs what is missing and replays it.
 */
public final class TaskNotInstalledException extends RuntimeException {

    public TaskNotInstalledException(String message) {
        super(message);
    }
}
