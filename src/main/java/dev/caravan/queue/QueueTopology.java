package dev.caravan.queue;

import com.rabbitmq.client.Channel;
import dev.caravan.config.QueueNames;
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

    public QueueTopology(QueueNames names) {
        this.names = names;
    }

    @Override
    public void onCreate(Connection connection) {
        try (Channel channel = connection.createChannel(false)) {
            declare(channel);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot declare Caravan's queues on the broker: " + e.getMessage(), e);
        }
    }

    void declare(Channel channel) throws IOException {
        String key = QueueNames.EXECUTE_ROUTING_KEY;
        channel.exchangeDeclare(names.deadLetterExchange(), "direct", true);
        channel.queueDeclare(names.deadLetter(), true, false, false, Map.of());
        channel.queueBind(names.deadLetter(), names.deadLetterExchange(), key);

        channel.exchangeDeclare(names.exchange(), "direct", true);
        // Jobs the broker itself rejects or expires land in the dead-letter queue too, never nowhere.
        channel.queueDeclare(names.execute(), true, false, false, Map.of(
                "x-dead-letter-exchange", names.deadLetterExchange(),
                "x-dead-letter-routing-key", key));
        channel.queueBind(names.execute(), names.exchange(), key);
        LOG.info("Declared exchange '{}' with queue '{}' and dead letters '{}' -> '{}'",
                names.exchange(), names.execute(), names.deadLetterExchange(), names.deadLetter());
    }
}
