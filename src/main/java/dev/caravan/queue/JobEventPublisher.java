package dev.caravan.queue;

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
        sender.send(queues.resultsExchange(), JobEventQueues.RESULT_ROUTING_KEY, new Message(body, properties));
    }
}
