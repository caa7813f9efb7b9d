package dev.caravan.queue;

import java.util.function.Consumer;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/**
 * Sends workers' {@link JobEvent}s to the results exchange, persistent and confirmed, so that the store learns of
 * every job's life without workers holding database credentials.
 */
public final class JobEventPublisher {

    private final ConfirmedSender sender;
    private final JobEventQueues queues;

    public JobEventPublisher(ConfirmedSender sender, JobEventQueues queues) {
        this.sender = sender;
        this.queues = queues;
    }

    /** @throws JobNotAcceptedException when the broker did not confirm the event */
    public void publish(JobEvent event) {
        sender.send(queues.resultsExchange(), JobEventQueues.RESULT_ROUTING_KEY, message(event));
    }

    /**
     * Publishes without waiting for the broker's confirm: for events whose loss only hides a detail for a while (a
     * job's start, a failed attempt's reason), since the record only moves forward and the confirmed end event
     * settles it. {@code onFailure} hears of one the broker did not take.
     */
    public void publishWithoutWaiting(JobEvent event, Consumer<String> onFailure) {
        sender.sendWithoutWaiting(queues.resultsExchange(), JobEventQueues.RESULT_ROUTING_KEY, message(event), onFailure);
    }

    private static Message message(JobEvent event) {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(event.jobId());
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setHeader(JobEvent.KIND, event.kind().name());
        if (event.state() != null) {
            properties.setHeader(JobEvent.STATE, event.state().name());
        }
        properties.setHeader(JobEvent.WORKER, event.worker());
        if (event.reason() != null) {
            properties.setHeader(JobEvent.REASON, event.reason());
        }
        properties.setHeader(JobEvent.AT, event.at().toEpochMilli());
        byte[] body = event.result() == null ? new byte[0] : event.result();
        return new Message(body, properties);
    }
}
