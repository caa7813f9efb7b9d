package dev.caravan.compat.piston;

import dev.caravan.contract.CompileResult;
import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.TestResult;
import java.nio.charset.StandardCharsets;

/**
 * Writes Caravan's {@link ExecuteResult} of a one-test job as Piston's answer, with the rules of engineer-man/piston
 * {@code api/src/job.js} ({@code safe_call}) and {@code api/src/api/v2.js}:
 * <ul>
 *   <li>statuses: RE (non-zero exit), SG (killed by a signal; also a run over its memory limit, which isolate's
 *       cgroup ends with SIGKILL), TO (over time), OL/EL (stdout/stderr over the output limit), XX (internal);
 *   <li>TO, OL and EL report {@code signal: "SIGKILL"} and no exit code;
 *   <li>when the compile failed there is no run, and {@code run} is a copy of {@code compile}.
 * </ul>
 * Caravan captures stdout and stderr apart, so {@code output} is stdout then stderr, not their interleaving.
 */
public final class PistonResultMapper {

    private PistonResultMapper() {
    }

    /**
     * @param outputBytes the job's output limit per stream, which tells whether stdout (OL) or stderr (EL) ran over
     */
    public static PistonResult map(PistonRuntime runtime, ExecuteResult result, long outputBytes) {
        PistonStage compile = result.compile() == null ? null : compile(result.compile());
        PistonStage run = result.tests().isEmpty() ? compile : run(result.tests().get(0), outputBytes);
        return new PistonResult(runtime.language(), runtime.version(), run, compile);
    }

    /** Caravan keeps a compiler's output as one text and its verdict, not its exit code: 1 stands for "failed". */
    static PistonStage compile(CompileResult compile) {
        boolean failed = compile.failed();
        return new PistonStage("", compile.output(), compile.output(), failed ? 1 : 0, null,
                failed ? "Exited with error status 1" : null, failed ? "RE" : null, null, compile.timeMs(), null);
    }

    static PistonStage run(TestResult test, long outputBytes) {
        String output = test.stdout() + test.stderr();
        // isolate reports memory in KiB, which job.js multiplies by 1000; these are the bytes themselves
        long memory = test.memoryKb() * 1024;
        return switch (test.status()) {
            case TIME_LIMIT_EXCEEDED -> killed(test, output, memory, "TO", "Time limit exceeded");
            case OUTPUT_LIMIT_EXCEEDED -> test.stdout().getBytes(StandardCharsets.UTF_8).length >= outputBytes
                    ? killed(test, output, memory, "OL", "stdout length exceeded")
                    : killed(test, output, memory, "EL", "stderr length exceeded");
            case MEMORY_LIMIT_EXCEEDED -> new PistonStage(test.stdout(), test.stderr(), output, null,
                    test.signal() == null ? "SIGKILL" : test.signal(), "Memory limit exceeded", "SG",
                    test.cpuTimeMs(), test.wallTimeMs(), memory);
            case RUNTIME_ERROR -> test.signal() != null
                    ? new PistonStage(test.stdout(), test.stderr(), output, null, test.signal(),
                            "Caught fatal signal " + test.signal(), "SG", test.cpuTimeMs(), test.wallTimeMs(), memory)
                    : new PistonStage(test.stdout(), test.stderr(), output, test.exitCode(), null,
                            "Exited with error status " + test.exitCode(), "RE", test.cpuTimeMs(), test.wallTimeMs(), memory);
            case INTERNAL_ERROR -> new PistonStage(test.stdout(), test.stderr(), output, null, null,
                    "Internal error", "XX", test.cpuTimeMs(), test.wallTimeMs(), memory);
            default -> new PistonStage(test.stdout(), test.stderr(), output, test.exitCode(), test.signal(), null, null,
                    test.cpuTimeMs(), test.wallTimeMs(), memory);
        };
    }

    /** job.js: {@code signal: ['TO', 'OL', 'EL'].includes(status) ? 'SIGKILL' : signal}; isolate gives no exit code. */
    private static PistonStage killed(TestResult test, String output, long memory, String status, String message) {
        return new PistonStage(test.stdout(), test.stderr(), output, null, "SIGKILL", message, status,
                test.cpuTimeMs(), test.wallTimeMs(), memory);
    }
}
