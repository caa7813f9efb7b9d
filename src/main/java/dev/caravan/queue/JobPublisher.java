package dev.caravan.queue;

import dev.caravan.config.QueueNames;
import dev.caravan.ingress.ExecuteIngress;
import dev.caravan.worker.JobOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.AsyncRabbitTemplate;
import org.springframework.amqp.rabbit.RabbitMessageFuture;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes a job and waits for the worker's reply over direct reply-to, without holding a thread while it
 * waits. Unlike Camel's InOut producer it uses publisher confirms, so a job the broker refuses (queue full)
 * or never confirms is answered 503 at once instead of silently vanishing; and it stamps every job with an
 * expiration equal to the caller's wait, so nobody runs a job whose caller has given up.
 */
public final class JobPublisher extends AsyncProcessorSupport {

    /** Exchange property with the job's routing key ({@link JobRouting#keyOf}); absent, the judge queue's. */
    public static final String ROUTING_KEY = "caravanRoutingKey";

    private final AsyncRabbitTemplate template;
    private final QueueNames queues;
    private final Duration wait;
    private final Duration confirmTimeout;
    private final Counter submitted;

    public JobPublisher(ConnectionFactory connections, QueueNames queues, Duration wait, Duration confirmTimeout,
                        MeterRegistry metrics) {
        this.submitted = Counter.builder("caravan.jobs.submitted")
                .description("Jobs of waiting callers the broker confirmed it holds").register(metrics);
        this.template = new AsyncRabbitTemplate(new RabbitTemplate(connections));
        this.template.setEnableConfirms(true);
        this.template.setReceiveTimeout(wait.toMillis());
        this.queues = queues;
        this.wait = wait;
        this.confirmTimeout = confirmTimeout;
    }

    @Override
    protected void doStart() {
        template.start();
    }

    @Override
    protected void doStop() {
        template.stop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        RabbitMessageFuture reply;
        try {
            reply = template.sendAndReceive(queues.exchange(),
                    exchange.getProperty(ROUTING_KEY, QueueNames.EXECUTE_ROUTING_KEY, String.class), jobMessage(exchange));
        } catch (AmqpConnectException unreachable) {
            exchange.setException(unreachable);
            callback.done(true);
            return true;
        } catch (AmqpException e) {
            // The connection broke under the publish (its broker node died or was restarted): nothing confirmed the
            // job, so the caller hears so, as for a nack, and tries again on the connection to another node.
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            exchange.setException(new JobNotAcceptedException("the broker connection broke while publishing the job ("
                    + cause.getMessage() + ")"));
            callback.done(true);
            return true;
        }
        AtomicReference<JobNotAcceptedException> refusal = new AtomicReference<>();
        reply.getConfirm().orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((acked, failure) -> {
            if (failure == null && acked) {
                submitted.increment();
            } else {
                refusal.set(new JobNotAcceptedException(failure != null
                        ? "the broker did not confirm the job within " + confirmTimeout.toMillis() + " ms"
                        : "the broker refused the job (" + (reply.getNackCause() == null ? "queue full" : reply.getNackCause()) + ")"));
                reply.cancel(false);
            }
        });
        reply.whenComplete((message, failure) -> {
            if (failure == null) {
                exchange.getMessage().setHeader(JobOutcome.HEADER, message.getMessageProperties().getHeader(JobOutcome.HEADER));
                exchange.getMessage().setBody(message.getBody());
            } else {
                exchange.setException(refusal.get() != null ? refusal.get() : failure);
            }
            callback.done(false);
        });
        return false;
    }

    private Message jobMessage(Exchange exchange) {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(exchange.getProperty(ExecuteIngress.JOB_ID, String.class));
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setExpiration(String.valueOf(wait.toMillis()));
        properties.setHeader(JobHeaders.VERSION, JobHeaders.CURRENT_VERSION);
        long now = System.currentTimeMillis();
        properties.setHeader(JobHeaders.PUBLISHED_AT, now);
        properties.setHeader(JobHeaders.DEADLINE, now + wait.toMillis());
        return new Message(exchange.getMessage().getBody(byte[].class), properties);
    }
}
