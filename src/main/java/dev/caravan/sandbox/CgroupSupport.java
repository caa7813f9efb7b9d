package dev.caravan.sandbox;

import dev.caravan.engine.EngineFailure;

/** The cgroup interface of this host, detected once at start-up; creates one {@link RunCgroup} per run. */
interface CgroupSupport {

    RunCgroup create(long memoryLimitBytes, int maxProcesses);

    /**
     * The cgroup of one run, with the request's memory and process limits.
     *
     * @throws EngineFailure when the group cannot be set up (a fault of the host, not the program)
     */
    default RunCgroup createFor(RunRequest request) {
        try {
            return create(request.memoryBytes(), request.maxProcesses());
        } catch (IllegalStateException e) {
            throw new EngineFailure("cannot set up the run's cgroup: " + e.getMessage(), e);
        }
    }

    /** One line for the start-up log: which cgroup version and controllers are used, or why none. */
    String describe();

    /** Whether runs get a memory limit and peak-memory figure from the cgroup. */
    boolean limitsMemory();

    /** Removes this engine's parent groups once no run is left in them. */
    void close();
}
