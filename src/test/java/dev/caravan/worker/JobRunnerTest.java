package dev.caravan.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Json;
import dev.caravan.contract.Limits;
import dev.caravan.contract.Status;
import dev.caravan.contract.TestCase;
import dev.caravan.engine.ExecutionEngine;
import dev.caravan.engine.Language;
import dev.caravan.queue.JobHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class JobRunnerTest {

    private static final Job JOB = new Job("job-1", "python", "print(1)", List.of(new TestCase("", null)),
            new Limits(1000, 1000, 64, 8));

    private final List<Job> executed = new ArrayList<>();
    private final ExecutionEngine engine = new ExecutionEngine() {
        @Override
        public List<Language> languages() {
            return List.of();
        }

        @Override
        public ExecuteResult execute(Job job) {
            executed.add(job);
            return new ExecuteResult(job.id(), Status.OK, job.language(), null, List.of());
        }
    };
    private final JobRunner runner = new JobRunner(engine, new WorkerStats(new SimpleMeterRegistry()));

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
}
