package dev.caravan.sandbox;

import dev.caravan.contract.CompileResult;

/**
 * Turns what a compiler run did into a CompileResult. A compile stopped by one of its limits fails with a first line
 * naming that limit and the figure measured against it, so that a compile bomb reads as such and not as the
 * compiler's own report (g++ surviving its cc1plus calls a CPU-time kill an "internal compiler error" and asks for a
 * bug report).
 *
 * <p>The breach is decided from the engine's own measurements of the whole compile process tree — the wall clock the
 * worker killed it at, the tree's CPU time (cgroup cpuacct, else the launcher's rusage of every reaped descendant),
 * the cgroup's OOM-kill count — never from what the compiler prints. The one exception is a runtime that reports its
 * own heap exhaustion ({@code runtimeReportedOutOfMemory}, e.g. javac's {@code -Xmx}) where no cgroup measures it.
 */
final class CompileVerdict {

    private CompileVerdict() {
    }

    /**
     * @param run                        the compile run's observation
     * @param limits                     the compile limits it ran under (ms, MB, KB)
     * @param runtimeReportedOutOfMemory the compiler's runtime reported its own heap limit (only consulted when the
     *                                   compile failed and no measurement names another limit)
     */
    static CompileResult of(RunObservation run, EngineSettings.CompileLimits limits, boolean runtimeReportedOutOfMemory) {
        String output = run.stdout().text() + run.stderr().text();
        if (run.wallKilled()) {
            return CompileResult.failed(wallTimeExceeded(run.wallTimeMs(), limits) + "\n" + output, run.wallTimeMs());
        }
        if (run.cpuExceeded(limits.cpuTimeMs())) {
            return CompileResult.failed(cpuTimeExceeded(run.cpuTimeMs(), limits) + "\n" + output, run.wallTimeMs());
        }
        if (run.oomKilled() || (runtimeReportedOutOfMemory && !run.exitedCleanly())) {
            return CompileResult.failed(memoryExceeded(limits) + "\n" + output, run.wallTimeMs());
        }
        if (run.outputExceeded()) {
            return CompileResult.failed(outputExceeded(limits) + "\n" + output, run.wallTimeMs());
        }
        if ("SIGXFSZ".equals(run.signal())) {
            return CompileResult.failed("compile file size limit exceeded\n" + output, run.wallTimeMs());
        }
        if (!run.exitedCleanly()) {
            return CompileResult.failed(output, run.wallTimeMs());
        }
        return CompileResult.ok(output, run.wallTimeMs());
    }

    /** First line of a compile the worker killed at its wall-clock limit, e.g. after {@code 20004} ms. */
    static String wallTimeExceeded(long wallMs, EngineSettings.CompileLimits limits) {
        return "compile time limit exceeded (wall clock: stopped after " + wallMs + " ms, limit "
                + limits.wallTimeMs() + " ms)";
    }

    /** First line of a compile whose process tree used more CPU time than allowed, {@code cpuMs} as measured. */
    static String cpuTimeExceeded(long cpuMs, EngineSettings.CompileLimits limits) {
        return "compile time limit exceeded (CPU: " + cpuMs + " ms used, limit " + limits.cpuTimeMs() + " ms)";
    }

    /** First line of a compile that ran out of its memory limit. */
    static String memoryExceeded(EngineSettings.CompileLimits limits) {
        return "compile memory limit exceeded (" + limits.memoryMb() + " MB)";
    }

    /** First line of a compile that wrote more than its output cap. */
    static String outputExceeded(EngineSettings.CompileLimits limits) {
        return "compile output limit exceeded (" + limits.outputKb() + " KB)";
    }
}
