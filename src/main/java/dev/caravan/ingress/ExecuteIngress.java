package dev.caravan.ingress;

import dev.caravan.contract.Job;
import dev.caravan.contract.Json;
import dev.caravan.queue.JobPublisher;
import dev.caravan.queue.JobRouting;
import dev.caravan.worker.JobOutcome;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The two ends of {@code POST /execute}: turning the request into a job message, and the reply into an answer. */
public final class ExecuteIngress {

    /** Exchange property holding the job id, so an error answer can name the job after headers are gone. */
    public static final String JOB_ID = "caravanJobId";
    /** Exchange property holding the job's language, for its record. */
    public static final String JOB_LANGUAGE = "caravanJobLanguage";

    private final ExecuteRequestValidator validator;

    public ExecuteIngress(ExecuteRequestValidator validator) {
        this.validator = validator;
    }

    /** Validates the request and leaves only the job on the exchange. */
    public void accept(Exchange exchange) {
        HttpExchanges.requireMethod(exchange, "POST");
        HttpExchanges.requireJson(exchange);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        enqueue(exchange, validator.validate(body == null ? new byte[0] : body));
    }

    /**
     * Leaves only the job on the exchange, as the message the next step publishes, and keeps its id for an error
     * answer. Every API that takes jobs (compat/ too) ends its request this way.
     */
    public static void enqueue(Exchange exchange, Job job) {
        exchange.setProperty(JOB_ID, job.id());
        exchange.setProperty(JOB_LANGUAGE, job.language());
        exchange.setProperty(JobPublisher.ROUTING_KEY, JobRouting.keyOf(job));
        Message message = exchange.getMessage();
        // The job message is built from the job alone: no HTTP header may travel to the workers.
        message.removeHeaders("*");
        message.setBody(Json.write(job));
    }

    /** Answers with the worker's reply: 200 for a result, 500 when the job was dead-lettered. */
    public void respond(Exchange exchange) {
        Message message = exchange.getMessage();
        HttpExchanges.answer(exchange, deadLettered(message) ? 500 : 200, message.getBody(byte[].class));
    }

    /** True when the reply says the job failed every attempt and was parked: its body is then an error, not a result. */
    public static boolean deadLettered(Message reply) {
        return JobOutcome.DEAD_LETTERED.name().equals(reply.getHeader(JobOutcome.HEADER, String.class));
    }
}
