package dev.caravan.queue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.caravan.config.QueueNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.concurrent.TimeoutException;

/**
 * What an operator does with parked jobs: look at them without taking them, send them back to the execute
 * queue, or throw them away. Each operation uses a connection of its own: they are rare, and must not share
 * a channel's state (confirms, unacknowledged gets) with the jobs' hot path.
 */
public final class DeadLetterQueue {

    private static final long CONFIRM_TIMEOUT_MS = 5_000;

    private final BrokerConnections connections;
    private final QueueNames queues;

    public DeadLetterQueue(BrokerConnections connections, QueueNames queues) {
        this.connections = connections;
        this.queues = queues;
    }

    /** Up to {@code limit} parked jobs, oldest first; they stay where they are. */
    public List<DeadLetter> peek(int limit) {
        return withChannel(channel -> {
            List<DeadLetter> letters = new ArrayList<>();
            long lastTag = -1;
            for (int i = 0; i < limit; i++) {
                GetResponse message = channel.basicGet(queues.deadLetter(), false);
                if (message == null) {
                    break;
                }
                letters.add(DeadLetter.from(message));
                lastTag = message.getEnvelope().getDeliveryTag();
            }
            if (lastTag >= 0) {
                channel.basicNack(lastTag, true, true);
            }
            return letters;
        });
    }

    /**
     * Sends the parked jobs whose id matches back to their queue (the execute queue, or a task queue), each removed from here only once the
     * broker confirmed the copy. A replayed job has no caller waiting: its result is only logged by the worker.
     */
    public int replay(Predicate<String> whichIds) {
        return withChannel(channel -> {
            channel.confirmSelect();
            // Only what is parked now: a replayed job that fails again must not be replayed in this same call.
            long parked = channel.messageCount(queues.deadLetter());
            int replayed = 0;
            for (long i = 0; i < parked; i++) {
                GetResponse message = channel.basicGet(queues.deadLetter(), false);
                if (message == null) {
                    break;
                }
                long tag = message.getEnvelope().getDeliveryTag();
                if (whichIds.test(message.getProps().getMessageId())) {
                    channel.basicPublish(queues.exchange(), JobRouting.keyOf(message.getBody()), replayProperties(message), message.getBody());
                    channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
                    channel.basicAck(tag, false);
                    replayed++;
                } else {
                    channel.basicNack(tag, false, true);
                }
            }
            return replayed;
        });
    }

    /** Deletes every parked job; returns how many there were. */
    public int purge() {
        return withChannel(channel -> channel.queuePurge(queues.deadLetter()).getMessageCount());
    }

    private static AMQP.BasicProperties replayProperties(GetResponse message) {
        AMQP.BasicProperties original = message.getProps();
        Map<String, Object> headers = new HashMap<>();
        Map<String, Object> originalHeaders = original.getHeaders() == null ? Map.of() : original.getHeaders();
        headers.put(JobHeaders.VERSION, originalHeaders.getOrDefault(JobHeaders.VERSION, JobHeaders.CURRENT_VERSION));
        Object firstTime = originalHeaders.getOrDefault(DeadLetter.FIRST_DEAD_LETTERED_AT,
                originalHeaders.get(DeadLetter.DEAD_LETTERED_AT));
        if (firstTime != null) {
            headers.put(DeadLetter.FIRST_DEAD_LETTERED_AT, firstTime.toString());
        }
        return new AMQP.BasicProperties.Builder()
                .messageId(original.getMessageId())
                .contentType(original.getContentType())
                .deliveryMode(2)
                .headers(headers)
                .build();
    }

    private interface ChannelWork<T> {
        T apply(Channel channel) throws IOException, InterruptedException, TimeoutException;
    }

    private <T> T withChannel(ChannelWork<T> work) {
        try (Connection connection = connections.openDedicated("caravan-dead-letter-admin");
             Channel channel = connection.createChannel()) {
            return work.apply(channel);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("dead-letter queue unavailable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
