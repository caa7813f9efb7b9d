package dev.caravan.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.config.RequestLimits;
import dev.caravan.config.TestSettings;
import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Json;
import dev.caravan.contract.Limits;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestCase;
import dev.caravan.engine.ExecutionEngine;
import dev.caravan.engine.JobBudget;
import dev.caravan.engine.JobOutOfTimeException;
import dev.caravan.engine.Language;
import dev.caravan.queue.JobHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class JobRunnerTest {

    private static final Job JOB = new Job("job-1", "python", "print(1)", List.of(new TestCase("", null)),
            new Limits(1000, 1000, 64, 8));

    private static final RequestLimits LIMITS = TestSettings.defaults().limits();

    private final List<Job> executed = new ArrayList<>();
    private final List<JobBudget> budgets = new ArrayList<>();
    /** What the engine does with a job once recorded: by default, an OK result. */
    private Function<Job, ExecuteResult> behaviour = job -> new ExecuteResult(job.id(), Status.OK, job.language(), null, List.of());
    private final ExecutionEngine engine = new ExecutionEngine() {
        @Override
        public List<Language> languages() {
            return List.of();
        }

        @Override
        public ExecuteResult execute(Job job, JobBudget budget) {
            executed.add(job);
            budgets.add(budget);
            return behaviour.apply(job);
        }
    };
    private final JobRunner runner = new JobRunner(engine, new WorkerStats(new SimpleMeterRegistry()), LIMITS);

    private static Exchange message(byte[] body, Object version, Long deadline) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(JobHeaders.VERSION, version);
        exchange.getMessage().setHeader(JobHeaders.DEADLINE, deadline);
        exchange.getMessage().setHeader("User-Agent", "curl");
        return exchange;
    }

    private UnrunnableJobException refusal(Exchange exchange) {
        return assertThrows(UnrunnableJobException.class, () -> runner.process(exchange));
    }

    @Test
    void aJobIsRunAndItsResultReplacesTheMessage() {
        Exchange exchange = message(Json.write(JOB), JobHeaders.CURRENT_VERSION, System.currentTimeMillis() + 60_000);
        runner.process(exchange);
        assertEquals(List.of(JOB), executed);
        assertTrue(exchange.getMessage().getBody(String.class).contains("\"status\":\"OK\""));
        assertEquals("COMPLETED", exchange.getMessage().getHeader(JobOutcome.HEADER));
        assertEquals(null, exchange.getMessage().getHeader("User-Agent"), "the reply carries no request headers");
        assertEquals(1, exchange.getProperty(JobRunner.ATTEMPTS));
    }

    @Test
    void unreadableOrUnknownVersionJobsArePoisonAndNeverRun() {
        assertEquals("poison", refusal(message("{not json".getBytes(StandardCharsets.UTF_8), 1, null)).reason());
        assertEquals("poison", refusal(message(Json.write(JOB), 99, null)).reason());
        assertEquals("poison", refusal(message(Json.write(JOB), null, null)).reason());
        assertEquals(List.of(), executed);
    }

    @Test
    void aJobArrivingAfterItsCallerLeftIsExpiredAndNeverRun() {
        UnrunnableJobException expired = refusal(message(Json.write(JOB), 1, System.currentTimeMillis() - 1));
        assertEquals("expired", expired.reason());
        assertEquals(List.of(), executed);
    }

    @Test
    void theEngineGetsTheJobBudgetCutToTheCallersDeadline() {
        runner.process(message(Json.write(JOB), 1, null));
        runner.process(message(Json.write(JOB), 1, System.currentTimeMillis() + 5_000));
        assertEquals(JobBudget.Limit.JOB_WALL_TIME, budgets.get(0).limit());
        assertTrue(budgets.get(0).remainingMs() > LIMITS.maxJobWallTime().toMillis() - 5_000, budgets.get(0)::toString);
        assertEquals(JobBudget.Limit.CALLER_DEADLINE, budgets.get(1).limit());
        assertTrue(budgets.get(1).remainingMs() <= 5_000, budgets.get(1)::toString);
    }

    @Test
    void aJobWhoseTestsMayTakeLongerThanAJobMayIsOverBudgetAndNeverRun() {
        int tests = (int) (LIMITS.maxJobWallTime().toMillis() / 1000) + 1;
        Job slow = new Job("job-2", "python", "print(1)", Collections.nCopies(tests, new TestCase("", null)),
                new Limits(1000, 1000, 64, 8));
        UnrunnableJobException refused = refusal(message(Json.write(slow), 1, null));
        assertEquals("over_budget", refused.reason());
        assertTrue(refused.getMessage().contains("caravan.limits.max-job-wall-time"), refused::getMessage);
        assertEquals(List.of(), executed);
    }

    @Test
    void aJobStoppedByItsBudgetIsExpiredWhenTheCallerLeftElseOverBudget() {
        behaviour = job -> {
            throw new JobOutOfTimeException(job.id(), budgets.get(budgets.size() - 1), null, List.of(), 1);
        };
        UnrunnableJobException abandoned = refusal(message(Json.write(JOB), 1, System.currentTimeMillis() + 5_000));
        assertEquals("expired", abandoned.reason());
        assertTrue(abandoned.getMessage().contains("after 0 of 1 tests"), abandoned::getMessage);
        assertEquals("over_budget", refusal(message(Json.write(JOB), 1, null)).reason());
    }
}
