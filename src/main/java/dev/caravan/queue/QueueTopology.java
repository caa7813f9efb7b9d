package dev.caravan.queue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import dev.caravan.config.QueueNames;
import dev.caravan.config.QueuePolicy;
import dev.caravan.config.QueueType;
import dev.caravan.config.StartupRefusedException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * Declares Caravan's exchanges and queues on every new broker connection, so they exist before the first
 * publish (a publish to a missing exchange closes the channel and leaves the caller waiting) and again after
 * a broker that lost them comes back.
 */
public final class QueueTopology implements ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(QueueTopology.class);

    private final QueueNames names;
    private final QueuePolicy policy;

    public QueueTopology(QueueNames names, QueuePolicy policy) {
        this.names = names;
        this.policy = policy;
    }

    @Override
    public void onCreate(Connection connection) {
        try (Channel channel = connection.createChannel(false)) {
            declare(channel);
        } catch (IOException | TimeoutException e) {
            if (refusedAsDifferent(e)) {
                // A queue kept from an older configuration (say classic, now quorum) would silently keep its old
                // guarantees: refuse to run on it.
                throw new StartupRefusedException("the broker already has Caravan's exchanges or queues ('"
                        + names.execute() + "', '" + names.deadLetter() + "') declared differently from this "
                        + "configuration: " + e.getCause().getMessage() + ". Delete them (rabbitmqctl delete_queue) "
                        + "after draining, or configure caravan.queue.* to match them", e);
            }
            throw new IllegalStateException("cannot declare Caravan's queues on the broker: " + e.getMessage(), e);
        }
    }

    private static boolean refusedAsDifferent(Exception e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == AMQP.PRECONDITION_FAILED;
    }

    void declare(Channel channel) throws IOException {
        String key = QueueNames.EXECUTE_ROUTING_KEY;
        channel.exchangeDeclare(names.deadLetterExchange(), "direct", true);
        channel.queueDeclare(names.deadLetter(), true, false, false, policy.queueArguments());
        channel.queueBind(names.deadLetter(), names.deadLetterExchange(), key);

        channel.exchangeDeclare(names.exchange(), "direct", true);
        channel.queueDeclare(names.execute(), true, false, false, executeQueueArguments());
        channel.queueBind(names.execute(), names.exchange(), key);
        // the same guarantees for tasks: TTL, length limit, delivery limit, dead letters (on the jobs' routing key)
        channel.queueDeclare(names.taskCpu(), true, false, false, executeQueueArguments());
        channel.queueBind(names.taskCpu(), names.exchange(), QueueNames.TASK_CPU_ROUTING_KEY);
        channel.queueDeclare(names.taskGpu(), true, false, false, executeQueueArguments());
        channel.queueBind(names.taskGpu(), names.exchange(), QueueNames.TASK_GPU_ROUTING_KEY);
        LOG.info("Declared exchange '{}' with {} queue '{}' and dead letters '{}' -> '{}'",
                names.exchange(), queueType(), names.execute(), names.deadLetterExchange(), names.deadLetter());
    }

    /**
     * Jobs the broker rejects, expires or gives up redelivering land in the dead-letter queue, never nowhere; a
     * full queue refuses new jobs (the publisher sees a nack and answers 503) instead of dropping old ones.
     */
    Map<String, Object> executeQueueArguments() {
        Map<String, Object> arguments = policy.queueArguments();
        arguments.put("x-dead-letter-exchange", names.deadLetterExchange());
        arguments.put("x-dead-letter-routing-key", QueueNames.EXECUTE_ROUTING_KEY);
        arguments.put("x-message-ttl", policy.messageTtl().toMillis());
        arguments.put("x-max-length", policy.maxLength());
        arguments.put("x-overflow", "reject-publish");
        if (policy.type() == QueueType.QUORUM) {
            arguments.put("x-delivery-limit", policy.deliveryLimit());
            // The broker keeps a dead-lettered job until the dead-letter queue confirms it has it.
            arguments.put("x-dead-letter-strategy", "at-least-once");
        }
        return arguments;
    }

    private String queueType() {
        return policy.type().name().toLowerCase();
    }
}
