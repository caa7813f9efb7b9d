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
