package dev.caravan.sandbox;

/** The cgroup interface of this host, detected once at start-up; creates one {@link RunCgroup} per run. */
interface CgroupSupport {

    RunCgroup create(long memoryLimitBytes, int maxProcesses);

    /** One line for the start-up log: which cgroup version and controllers are used, or why none. */
    String describe();

    /** Whether runs get a memory limit and peak-memory figure from the cgroup. */
    boolean limitsMemory();

    /** Removes this engine's parent groups once no run is left in them. */
    void close();
}
