package dev.caravan.callbacks;

import dev.caravan.queue.ConfirmedSender;
import dev.caravan.queue.JobEventQueues;
import java.nio.charset.StandardCharsets;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/**
 * Queues a job's callback (its id, on the durable callbacks queue) for {@link CallbackRoute}, so delivering it never
 * holds up whoever ended the job.
 */
public final class CallbackQueue {

    private final ConfirmedSender sender;
    private final JobEventQueues queues;

    public CallbackQueue(ConfirmedSender sender, JobEventQueues queues) {
        this.sender = sender;
        this.queues = queues;
    }

    /** @throws dev.caravan.queue.JobNotAcceptedException when the broker did not confirm it */
    public void enqueue(String jobId) {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(jobId);
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        // The default exchange routes by queue name.
        sender.send("", queues.callbacks(), new Message(jobId.getBytes(StandardCharsets.UTF_8), properties));
    }
}
