package dev.caravan.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One program to start in the sandbox, in a job directory, with its limits.
 *
 * @param command           argv, relative to the job directory
 * @param addressSpaceLimit whether RLIMIT_AS may hold the memory limit when no cgroup does (false for JVM/V8)
 * @param readOnlyBinds     host paths the runtime needs besides /usr
 * @param user              the host user it runs as (its slot's, or the warm compiler's)
 * @param task              what only an operator-defined task has, {@link TaskExtras#NONE} for a program's run
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
        SandboxUser user,
        TaskExtras task) {

    /** A program's run: none of a task's extras. */
    RunRequest(List<String> command, Path jobDir, byte[] stdin, long cpuTimeMs, long wallTimeMs, long memoryBytes,
               long outputBytes, int maxProcesses, boolean addressSpaceLimit, List<String> readOnlyBinds, SandboxUser user) {
        this(command, jobDir, stdin, cpuTimeMs, wallTimeMs, memoryBytes, outputBytes, maxProcesses, addressSpaceLimit,
                readOnlyBinds, user, TaskExtras.NONE);
    }

    /**
     * What a task's run has beyond a program's.
     *
     * @param environment variables set for it besides PATH, HOME and LANG (CUDA_VISIBLE_DEVICES for a GPU slot)
     * @param devices     host device nodes bound into its sandbox (its GPU's); those absent on the host are skipped
     * @param outputTail  keep the last {@code outputBytes} of each stream and let it run on, instead of killing it at the
     *                    cap: a long task's log is read by its end
     */
    record TaskExtras(Map<String, String> environment, List<String> devices, boolean outputTail) {
        static final TaskExtras NONE = new TaskExtras(Map.of(), List.of(), false);
    }
}
