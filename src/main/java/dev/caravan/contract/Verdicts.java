package dev.caravan.contract;

import java.util.List;

/** The verdict rules of the API contract, in one place for every engine. */
public final class Verdicts {

    private Verdicts() {
    }

    /** The status of one test, from what the sandbox observed and what the test expected. */
    public static Status judge(TestCase test, RunOutcome run) {
        if (run.outputLimitExceeded()) {
            return Status.OUTPUT_LIMIT_EXCEEDED;
        }
        if (run.timeLimitExceeded()) {
            return Status.TIME_LIMIT_EXCEEDED;
        }
        if (run.memoryLimitExceeded()) {
            return Status.MEMORY_LIMIT_EXCEEDED;
        }
        if (run.signal() != null || run.exitCode() == null || run.exitCode() != 0) {
            return Status.RUNTIME_ERROR;
        }
        if (!test.hasExpectedOutput()) {
            return Status.OK;
        }
        return OutputComparison.matches(test.expectedOutput(), run.stdout()) ? Status.ACCEPTED : Status.WRONG_ANSWER;
    }

    public static TestResult result(TestCase test, RunOutcome run) {
        return new TestResult(judge(test, run), run.stdout(), run.stderr(), run.exitCode(), run.signal(),
                run.cpuTimeMs(), run.wallTimeMs(), run.memoryKb());
    }

    /**
     * The job's status: a failed compile wins; then the first test that did not pass; then ACCEPTED when every
     * test was checked against an expected output, else OK.
     */
    public static Status overall(CompileResult compile, List<TestCase> tests, List<TestResult> results) {
        if (compile != null && compile.failed()) {
            return Status.COMPILATION_ERROR;
        }
        for (TestResult result : results) {
            if (!result.status().passed()) {
                return result.status();
            }
        }
        boolean allChecked = !tests.isEmpty() && tests.stream().allMatch(TestCase::hasExpectedOutput);
        return allChecked ? Status.ACCEPTED : Status.OK;
    }
}
