package dev.caravan.sandbox;

import java.nio.file.Path;
import java.util.List;

/**
 * One program to start in the sandbox, in a job directory, with its limits.
 *
 * @param command           argv, relative to the job directory
 * @param addressSpaceLimit whether RLIMIT_AS may hold the memory limit when no cgroup does (false for JVM/V8)
 * @param readOnlyBinds     host paths the runtime needs besides /usr
 * @param user              the host user it runs as (its slot's, or the warm compiler's)
 */
record RunRequest(
        List<String> command,
        Path jobDir,
        byte[] stdin,
        long cpuTimeMs,
        long wallTimeMs,
        long memoryBytes,
        long outputBytes,
        int maxProcesses,
        boolean addressSpaceLimit,
        List<String> readOnlyBinds,
        SandboxUser user) {
}
