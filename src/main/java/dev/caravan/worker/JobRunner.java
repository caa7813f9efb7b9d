package dev.caravan.worker;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Job;
import dev.caravan.contract.Json;
import dev.caravan.engine.ExecutionEngine;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job message through the engine and leaves the result as the reply. The message is not touched
 * until the result exists, so a retry after a failure sees the job exactly as it arrived.
 */
public final class JobRunner implements Processor {

    /** Exchange property counting this worker's attempts at the job; Camel drops its own counter once handled. */
    public static final String ATTEMPTS = "caravanAttempts";

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final ExecutionEngine engine;
    private final WorkerStats stats;

    public JobRunner(ExecutionEngine engine, WorkerStats stats) {
        this.engine = engine;
        this.stats = stats;
    }

    @Override
    public void process(Exchange exchange) throws IOException, InvalidPayloadException {
        exchange.setProperty(ATTEMPTS, exchange.getProperty(ATTEMPTS, 0, Integer.class) + 1);
        Message message = exchange.getMessage();
        Job job = Json.read(message.getMandatoryBody(byte[].class), Job.class);
        long started = System.nanoTime();
        stats.started();
        boolean succeeded = false;
        try {
            ExecuteResult result = engine.execute(job);
            succeeded = true;
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            LOG.info("job={} language={} status={} tests={} ms={}", job.id(), job.language(), result.status(),
                    result.tests().size(), tookMs);
            message.removeHeaders("*");
            message.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, Json.CONTENT_TYPE);
            message.setHeader(JobOutcome.HEADER, JobOutcome.COMPLETED.name());
            message.setBody(Json.write(result));
        } finally {
            stats.finished(System.nanoTime() - started, succeeded);
        }
    }
}
