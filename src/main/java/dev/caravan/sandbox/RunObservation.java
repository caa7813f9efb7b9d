package dev.caravan.sandbox;

/**
 * What the sandbox saw of one process tree, before any verdict: raw output, how it ended and what it used.
 *
 * @param exitCode  the exit code, null when a signal ended it
 * @param signal    the name of the signal that ended it, null when it exited
 * @param wallKilled the wall-clock limit ran out and the worker killed the tree
 * @param oomKilled the kernel killed a process of the tree for exceeding the cgroup memory limit
 */
record RunObservation(
        CappedOutput stdout,
        CappedOutput stderr,
        Integer exitCode,
        String signal,
        long cpuTimeMs,
        long wallTimeMs,
        long peakMemoryKb,
        boolean wallKilled,
        boolean oomKilled) {

    /**
     * The observation of a finished run, its figures taken from the run's cgroup where it measures them (they cover
     * every process of the run, even when it was killed) and from the launcher's own accounting where not.
     *
     * @param ownCpuMs CPU time of the reaped processes as the launcher or supervisor counted it (the wall time if unknown)
     * @param maxRssKb the largest resident set of any one process of the run, 0 if unknown
     */
    static RunObservation measured(CappedOutput stdout, CappedOutput stderr, Integer exitCode, String signal,
                                   long wallTimeMs, boolean wallKilled, RunCgroup cgroup, long ownCpuMs, long maxRssKb) {
        RunCgroup.CgroupUsage usage = cgroup.usage();
        long cpuMs = usage.cpuTimeMs() >= 0 ? usage.cpuTimeMs() : ownCpuMs;
        // the group's peak counts the whole tree and the tmpfs pages it wrote; the largest process's RSS is a floor
        // under it that no earlier run in a reused group can lower
        long peakKb = cgroup.limitsMemory() ? Math.max(usage.peakMemoryKb(), maxRssKb) : maxRssKb;
        return new RunObservation(stdout, stderr, exitCode, signal, cpuMs, wallTimeMs, peakKb, wallKilled, usage.oomKills() > 0);
    }

    boolean outputExceeded() {
        return stdout.overflowed() || stderr.overflowed();
    }

    boolean cpuExceeded(long cpuLimitMs) {
        return cpuTimeMs > cpuLimitMs || "SIGXCPU".equals(signal);
    }

    boolean exitedCleanly() {
        return signal == null && exitCode != null && exitCode == 0;
    }
}
