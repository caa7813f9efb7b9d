package dev.caravan.contract;

/**
 * What the sandbox observed of one run of the user's program, before any verdict is given.
 * Output is already decoded (invalid UTF-8 replaced) and capped; the flags say which limit, if any, stopped it.
 */
public record RunOutcome(
        String stdout,
        String stderr,
        Integer exitCode,
        String signal,
        long cpuTimeMs,
        long wallTimeMs,
        long memoryKb,
        boolean timeLimitExceeded,
        boolean memoryLimitExceeded,
        boolean outputLimitExceeded) {
}
