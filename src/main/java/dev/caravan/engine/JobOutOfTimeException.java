package dev.caravan.engine;

import dev.caravan.contract.CompileResult;
import dev.caravan.contract.TestResult;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The job's {@link JobBudget} ran out before its last test: the engine stopped, and the tests after the ones listed
 * were not run. Neither a verdict (the program may be fine) nor a machine fault (a retry would run out the same way).
 */
public class JobOutOfTimeException extends RuntimeException {

    private final JobBudget.Limit limit;
    private final List<TestResult> completed;

    /**
     * @param compile   the compile's result (perhaps cut short by the budget), or null for a language without one
     * @param completed the tests run to a verdict before the budget ran out, in order
     * @param testCount how many tests the job has
     */
    public JobOutOfTimeException(String jobId, JobBudget budget, CompileResult compile, List<TestResult> completed,
                                 int testCount) {
        super("job " + jobId + " stopped at " + budget + " after " + completed.size() + " of " + testCount
                + " tests; the rest were not run. " + summary(compile, completed), null, false, false);
        this.limit = budget.limit();
        this.completed = List.copyOf(completed);
    }

    /** What the job had when it stopped, short enough for a header: compile status and each test's status and time. */
    private static String summary(CompileResult compile, List<TestResult> completed) {
        String compiled = compile == null ? ""
                : "compile: " + (compile.failed() ? "failed" : "OK") + " in " + compile.timeMs() + " ms; ";
        return compiled + "tests: [" + completed.stream().map(test -> test.status() + " " + test.wallTimeMs() + " ms")
                .collect(Collectors.joining(", ")) + "]";
    }

    /** Which limit ran out: the caller's deadline or the job wall-time budget. */
    public JobBudget.Limit limit() {
        return limit;
    }

    /** The tests run to a verdict before the budget ran out, in order; the rest were not run. */
    public List<TestResult> completed() {
        return completed;
    }
}
