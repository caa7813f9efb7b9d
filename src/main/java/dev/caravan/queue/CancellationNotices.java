package dev.caravan.queue;

import java.nio.charset.StandardCharsets;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * Tells every worker that a queued job was cancelled (the job id as the body, on the cancellations fanout exchange),
 * so the one that receives the job acks and skips it. Not persistent: a worker that was down has no job in hand, and
 * the store ignores whatever a worker that missed the notice reports for a CANCELLED job.
 */
public final class CancellationNotices {

    private final ConfirmedSender sender;
    private final JobEventQueues queues;

    public CancellationNotices(ConfirmedSender sender, JobEventQueues queues) {
        this.sender = sender;
        this.queues = queues;
    }

    /** @throws JobNotAcceptedException when the broker did not confirm the notice */
    public void cancelled(String jobId) {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(jobId);
        sender.send(queues.cancellationsExchange(), "", new Message(jobId.getBytes(StandardCharsets.UTF_8), properties));
    }
}
