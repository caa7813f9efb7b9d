package dev.caravan.sandbox;

import dev.caravan.contract.CompileResult;

/**
 * Turns what a compiler run did into a CompileResult. A compile stopped by one of its limits fails with a first
 * line naming that limit, so that a compile bomb reads as such rather than as a cryptic compiler crash.
 */
final class CompileVerdict {

    private CompileVerdict() {
    }

    static CompileResult of(RunObservation run, EngineSettings.CompileLimits limits, boolean runtimeReportedOutOfMemory) {
        String output = run.stdout().text() + run.stderr().text();
        if (run.wallKilled() || run.cpuExceeded(limits.cpuTimeMs())) {
            return CompileResult.failed("compile time limit exceeded (" + limits.cpuTimeMs() + " ms CPU, "
                    + limits.wallTimeMs() + " ms wall)\n" + output, run.wallTimeMs());
        }
        if (run.oomKilled() || runtimeReportedOutOfMemory) {
            return CompileResult.failed("compile memory limit exceeded (" + limits.memoryMb() + " MB)\n" + output,
                    run.wallTimeMs());
        }
        if (run.outputExceeded()) {
            return CompileResult.failed("compile output limit exceeded (" + limits.outputKb() + " KB)\n" + output,
                    run.wallTimeMs());
        }
        if ("SIGXFSZ".equals(run.signal())) {
            return CompileResult.failed("compile file size limit exceeded\n" + output, run.wallTimeMs());
        }
        if (!run.exitedCleanly()) {
            return CompileResult.failed(output, run.wallTimeMs());
        }
        return CompileResult.ok(output, run.wallTimeMs());
    }
}
