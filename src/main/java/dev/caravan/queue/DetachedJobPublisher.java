package dev.caravan.queue;

import dev.caravan.config.QueueNames;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/**
 * Publishes a job nobody waits for ({@code POST /jobs}): persistent and confirmed like {@link JobPublisher}'s, but
 * without a reply address and without a caller's deadline, so it waits in the queue up to the queue's TTL
 * ({@code caravan.queue.message-ttl}) and its result reaches the store as a {@link JobEvent}.
 */
public final class DetachedJobPublisher {

    private final ConfirmedSender sender;
    private final QueueNames queues;

    public DetachedJobPublisher(ConfirmedSender sender, QueueNames queues) {
        this.sender = sender;
        this.queues = queues;
    }

    /**
     * @param routingKey which queue it goes to ({@link JobRouting#keyOf})
     * @param job        the job's JSON ({@link dev.caravan.contract.Job})
     * @throws JobNotAcceptedException when the broker refused the job (queue full) or did not confirm it
     */
    public void publish(String jobId, String routingKey, byte[] job) {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(jobId);
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setHeader(JobHeaders.VERSION, JobHeaders.CURRENT_VERSION);
        properties.setHeader(JobHeaders.PUBLISHED_AT, System.currentTimeMillis());
        sender.send(queues.exchange(), routingKey, new Message(job, properties));
    }
}
