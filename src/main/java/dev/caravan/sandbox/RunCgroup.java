package dev.caravan.sandbox;

import java.util.List;

/**
 * The control group one sandboxed process tree runs in, created for that run and removed after it. The launcher
 * writes its own pid into every file of {@link #procsFiles()} before it execs the sandbox, so that nothing the
 * program starts can escape the group's limits.
 */
interface RunCgroup extends AutoCloseable {

    /** Files the launcher writes its pid to; empty when cgroups are not used. */
    List<String> procsFiles();

    /** Whether the group itself holds the memory limit (else an rlimit or the runtime's own flag must). */
    boolean limitsMemory();

    /** Whether the group limits the number of processes (else RLIMIT_NPROC does). */
    boolean limitsProcesses();

    /** Usage so far; zeros for what this cgroup version or host cannot tell. */
    CgroupUsage usage();

    /** SIGKILLs every process still in the group. */
    void killAll();

    /** Kills what is left and removes the group. Never throws: a leaked empty group must not fail a finished job. */
    @Override
    void close();

    /**
     * @param cpuTimeMs   CPU time of all processes of the group, or -1 when not measured
     * @param peakMemoryKb peak memory of the group, or 0 when not measured
     * @param oomKills    processes the kernel killed for exceeding the memory limit
     */
    record CgroupUsage(long cpuTimeMs, long peakMemoryKb, long oomKills) {
    }
}
