package dev.caravan.ingress;

import dev.caravan.contract.Status;
import dev.caravan.queue.JobNotAcceptedException;
import dev.caravan.store.StoreUnavailableException;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.core.AmqpReplyTimeoutException;

/**
 * Turns whatever went wrong while serving a request into a JSON answer: the client's mistakes into 4xx, a
 * broker that cannot be reached into 503, a reply that never came into 504 naming the job, the rest into 500.
 * Every API answers the same statuses; the body takes the shape of the API the request came to (compat/).
 */
public final class IngressErrors implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(IngressErrors.class);
    static final String RETRY_AFTER = "Retry-After";
    /** How soon a client may try again after a 503 that is not its fault (a full queue, a stopping node). */
    static final String RETRY_AFTER_SECONDS = "1";

    private final String waitTimeout;
    private final Function<ApiError, Object> shape;

    /** Caravan's own error body, {@link ApiError}. */
    public IngressErrors(String waitTimeout) {
        this(waitTimeout, error -> error);
    }

    /** @param shape the error body as the API the request came to writes it, e.g. Piston's {@code {message}} */
    public IngressErrors(String waitTimeout, Function<ApiError, Object> shape) {
        this.waitTimeout = waitTimeout;
        this.shape = shape;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String jobId = exchange.getProperty(ExecuteIngress.JOB_ID, String.class);
        if (failure instanceof ApiException refused) {
            answer(exchange, refused.httpStatus(), refused.body());
        } else if (failure instanceof AmqpReplyTimeoutException) {
            LOG.warn("Job {} got no reply within {}", jobId, waitTimeout);
            answer(exchange, 504, new ApiError(
                    "no worker replied within " + waitTimeout + "; the job may still run", null, jobId, null));
        } else if (failure instanceof JobNotAcceptedException refused) {
            LOG.warn("Job {} not accepted: {}", jobId, refused.getMessage());
            answer(exchange, 503, new ApiError(refused.getMessage() + "; try again later", null, jobId, null));
            exchange.getMessage().setHeader(RETRY_AFTER, RETRY_AFTER_SECONDS);
        } else if (failure instanceof StoreUnavailableException unavailable) {
            LOG.warn("Job store unavailable for job {}: {}", jobId, unavailable.getMessage());
            HttpExchanges.answer(exchange, 503, new ApiError("the job store is unavailable; try again later", null, jobId, null));
            exchange.getMessage().setHeader(RETRY_AFTER, RETRY_AFTER_SECONDS);
        } else if (failure instanceof AmqpConnectException || failure instanceof AmqpIOException) {
            LOG.warn("Broker unavailable for job {}: {}", jobId, failure.getMessage());
            answer(exchange, 503, ApiError.of("the message broker is unavailable; try again later"));
        } else {
            LOG.error("Unexpected failure serving job {}", jobId, failure);
            answer(exchange, 500, new ApiError("internal error", null, jobId, Status.INTERNAL_ERROR.name()));
        }
    }

    private void answer(Exchange exchange, int status, ApiError error) {
        HttpExchanges.answer(exchange, status, shape.apply(error));
    }
}
