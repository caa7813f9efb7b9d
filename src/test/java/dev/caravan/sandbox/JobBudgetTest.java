package dev.caravan.sandbox;

import static dev.caravan.sandbox.SharedEngine.input;
import static dev.caravan.sandbox.SharedEngine.source;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Limits;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestCase;
import dev.caravan.engine.JobBudget;
import dev.caravan.engine.JobOutOfTimeException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine keeps a job within its {@link JobBudget}: no test starts once it is spent, and the test or compile
 * running when it runs out is cut to what was left, so a job never holds its slot past its budget.
 */
class JobBudgetTest {

    /**
     * Slack for stopping a run and resetting the slot on a loaded 2-core machine; every bound stays well below what
     * the job would take without its budget (6 s, 8 s, the 10 s compile limit), so each test still fails without one.
     */
    private static final long SLACK_MS = 2300;

    private static Job sleeper(int tests) {
        return new Job(UUID.randomUUID().toString(), "python", "import time\ntime.sleep(30)",
                Collections.nCopies(tests, input("")), new Limits(1000, 1000, 64, 64));
    }

    /** The job's stop, or a failure that shows what it answered instead. */
    private static JobOutOfTimeException stopped(SandboxedEngine engine, Job job, JobBudget budget) {
        try {
            ExecuteResult result = engine.execute(job, budget);
            throw new AssertionError("the job ran to its end within " + budget + " (" + budget.remainingMs()
                    + " ms left): " + result);
        } catch (JobOutOfTimeException e) {
            return e;
        }
    }

    private static long elapsedMs(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    @Test
    void aJobStopsWhenItsWallTimeBudgetRunsOutAndTheTestItCutHasNoVerdict() {
        SandboxedEngine engine = SharedEngine.get();
        long started = System.nanoTime();
        // six tests of 1 s in a budget of 1.5 s: the first runs to its own limit, the second is cut at 0.5 s
        JobOutOfTimeException stopped = stopped(engine, sleeper(6), JobBudget.startingNow(Duration.ofMillis(1500), null));
        long tookMs = elapsedMs(started);
        assertEquals(JobBudget.Limit.JOB_WALL_TIME, stopped.limit());
        assertEquals(1, stopped.completed().size(), stopped::getMessage);
        assertEquals(Status.TIME_LIMIT_EXCEEDED, stopped.completed().get(0).status());
        assertTrue(stopped.getMessage().contains("after 1 of 6 tests"), stopped::getMessage);
        assertTrue(tookMs >= 1500 && tookMs < 1500 + SLACK_MS, () -> "took " + tookMs + " ms");
    }

    @Test
    void aJobStopsAtItsCallersDeadline() {
        SandboxedEngine engine = SharedEngine.get();
        long started = System.nanoTime();
        JobOutOfTimeException stopped = stopped(engine, sleeper(8), JobBudget.startingNow(Duration.ofMinutes(3), System.currentTimeMillis() + 2500));
        long tookMs = elapsedMs(started);
        assertEquals(JobBudget.Limit.CALLER_DEADLINE, stopped.limit());
        assertEquals(2, stopped.completed().size(), stopped::getMessage);
        assertTrue(tookMs >= 2500 && tookMs < 2500 + SLACK_MS, () -> "took " + tookMs + " ms");
    }

    @Test
    void aCompileBombStopsAtItsCallersDeadlineNotAtTheCompileLimit() {
        SandboxedEngine engine = SharedEngine.get();
        WarmJavac warm = engine.warmJavac();
        await().atMost(Duration.ofSeconds(60)).until(warm::idle);
        long started = System.nanoTime();
        Job bomb = new Job(UUID.randomUUID().toString(), "java", source("hostile/InferenceBomb.java"),
                List.of(new TestCase("", null)), SharedEngine.LIMITS);
        JobOutOfTimeException stopped = stopped(engine, bomb, JobBudget.startingNow(Duration.ofMinutes(3), System.currentTimeMillis() + 2000));
        long tookMs = elapsedMs(started);
        assertTrue(stopped.completed().isEmpty());
        assertTrue(stopped.getMessage().contains("compile: failed"), stopped::getMessage);
        // the compile limit in these tests is 10 s
        assertTrue(tookMs >= 2000 && tookMs < 2000 + SLACK_MS, () -> "took " + tookMs + " ms");
    }
}
