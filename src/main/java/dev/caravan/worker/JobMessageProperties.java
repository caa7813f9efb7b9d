package dev.caravan.worker;

import dev.caravan.contract.Json;
import dev.caravan.queue.DeadLetter;
import dev.caravan.queue.JobHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.MessagePropertiesConverter;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.springframework.amqp.core.MessageProperties;

/**
 * The worker route's mapping between AMQP properties and Camel headers, in place of the component's default, which
 * copies every AMQP property and header of each job into Camel headers through a header filter and, for the reply,
 * reads a dozen Camel headers back and copies every remaining one: per-message work for values nobody reads. This
 * one brings in only what the worker reads (the job's id and {@link JobHeaders}, the first dead-lettering time of a
 * replayed job, the quorum queue's delivery count) and sends back only what the API reads: the JSON content type and
 * {@link JobOutcome#HEADER}. Camel's consumer adds the request's correlation id to the reply itself.
 */
public final class JobMessageProperties implements MessagePropertiesConverter {

    /** The quorum queue's count of earlier deliveries of the job (RabbitMQ quorum queues docs, "Poison Message Handling"). */
    static final String QUORUM_DELIVERY_COUNT = "x-delivery-count";

    private static final List<String> READ_HEADERS = List.of(JobHeaders.VERSION, JobHeaders.DEADLINE,
            JobHeaders.PUBLISHED_AT, DeadLetter.FIRST_DEAD_LETTERED_AT, QUORUM_DELIVERY_COUNT);

    @Override
    public Map<String, Object> fromMessageProperties(MessageProperties properties, Exchange exchange) {
        Map<String, Object> headers = new HashMap<>();
        Map<String, Object> amqpHeaders = properties.getHeaders();
        for (String name : READ_HEADERS) {
            Object value = amqpHeaders.get(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        if (properties.getMessageId() != null) {
            headers.put(SpringRabbitMQConstants.MESSAGE_ID, properties.getMessageId());
        }
        return headers;
    }

    @Override
    public MessageProperties toMessageProperties(Exchange exchange) {
        MessageProperties reply = new MessageProperties();
        reply.setContentType(Json.CONTENT_TYPE);
        Object outcome = exchange.getMessage().getHeader(JobOutcome.HEADER);
        if (outcome != null) {
            reply.setHeader(JobOutcome.HEADER, outcome);
        }
        return reply;
    }

    /** Unused: the mapping above is a fixed list, not a filter. */
    @Override
    public void setHeaderFilterStrategy(HeaderFilterStrategy strategy) {
        // nothing to filter
    }
}
