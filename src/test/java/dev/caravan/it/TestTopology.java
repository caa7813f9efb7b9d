package dev.caravan.it;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.caravan.load.DeleteTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Exchange and queue names no other test run uses, with the means to look into them and delete them, so tests
 * share the machine's broker without seeing each other's messages.
 */
public final class TestTopology implements AutoCloseable {

    private final String prefix = "caravan-test-" + UUID.randomUUID().toString().substring(0, 8);
    /** A connection per operation, so the helper keeps working after a test restarts the broker. */
    private final ConnectionFactory factory = new ConnectionFactory();
    private final List<String> routeQueues = new ArrayList<>();
    private final Address[] broker;

    /** On the machine's broker, localhost:5672. */
    public TestTopology() {
        this("localhost:5672");
    }

    /** On the broker at {@code addresses} (host:port, comma-separated: any node of a cluster). */
    public TestTopology(String addresses) {
        this.broker = Address.parseAddresses(addresses);
        withChannel(channel -> null);
    }

    public String exchange() {
        return prefix;
    }

    public String executeQueue() {
        return prefix + ".execute";
    }

    public String deadLetterExchange() {
        return prefix + ".dead-letter";
    }

    public String deadLetterQueue() {
        return prefix + ".execute.dead-letter";
    }

    /** The settings that point a Caravan process at this topology. */
    public Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("caravan.queue.exchange", exchange());
        properties.put("caravan.queue.execute", executeQueue());
        properties.put("caravan.queue.dead-letter-exchange", deadLetterExchange());
        properties.put("caravan.queue.dead-letter", deadLetterQueue());
        properties.put("caravan.heartbeat.exchange", prefix + ".heartbeats");
        return properties;
    }

    /** The execute queue as an older, classic-queue configuration of Caravan would have left it. */
    public void declareClassicExecuteQueue() {
        withChannel(channel -> channel.queueDeclare(executeQueue(), true, false, false, Map.of()));
    }

    /** Publishes a raw job message, as a misbehaving or outdated client of the queue might. */
    public void publishJob(String body, Map<String, Object> headers) {
        publishJob(null, body, headers);
    }

    /** Publishes a raw job message with a message id, as Caravan's own publisher sets one. */
    public void publishJob(String id, String body, Map<String, Object> headers) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).messageId(id).headers(headers).build();
        withChannel(channel -> {
            channel.basicPublish(exchange(), "execute", properties, body.getBytes(StandardCharsets.UTF_8));
            return null;
        });
    }

    /** Takes one message off a queue (acknowledged), or null when it is empty. */
    public GetResponse take(String queue) {
        return withChannel(channel -> channel.basicGet(queue, true));
    }

    public long messageCount(String queue) {
        return withChannel(channel -> channel.messageCount(queue));
    }

    /**
     * Deletes, on close, a queue that a test's own route declares. Not before: a running consumer whose queue is
     * deleted declares it again.
     */
    public void deleteOnClose(String queue) {
        routeQueues.add(queue);
    }

    @Override
    public void close() {
        withChannel(channel -> {
            for (String queue : routeQueues) {
                channel.queueDelete(queue);
            }
            DeleteTopology.deleteAll(channel, prefix);
            return null;
        });
    }

    private interface ChannelWork<T> {
        T apply(Channel channel) throws IOException;
    }

    private <T> T withChannel(ChannelWork<T> work) {
        try (Connection connection = factory.newConnection(broker, "caravan-test"); Channel channel = connection.createChannel()) {
            return work.apply(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("the tests need RabbitMQ on " + Arrays.toString(broker) + ": " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
