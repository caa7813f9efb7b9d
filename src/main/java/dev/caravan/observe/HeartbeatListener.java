package dev.caravan.observe;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.caravan.config.BrokerSettings;
import dev.caravan.contract.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An API node's ear on the heartbeat fanout exchange: a transient queue of its own (server-named, exclusive, deleted
 * with the connection) bound to the exchange, feeding every heartbeat to the {@link WorkerDirectory}.
 * <p>
 * It uses a connection of its own with the RabbitMQ Java client's automatic recovery on, which re-declares the
 * server-named queue, its binding and the consumer after a broker restart ("Automatic Recovery From Network
 * Failures", rabbitmq.com/client-libraries/java-api-guide). A broker that is not there at start-up is tried again
 * every {@code retryEvery}. A heartbeat that cannot be read is logged and dropped: it is only a status.
 */
public final class HeartbeatListener extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatListener.class);

    private static final int ABORT_TIMEOUT_MS = 2000;

    private final ConnectionFactory factory = new ConnectionFactory();
    private final String exchange;
    private final WorkerDirectory directory;
    private final Duration retryEvery;
    private final String connectionName;
    /** The broker's nodes: a connection, and its automatic recovery, take whichever answers. */
    private final List<Address> nodes;
    private ScheduledExecutorService connector;
    private volatile Connection connection;

    public HeartbeatListener(BrokerSettings broker, String exchange, WorkerDirectory directory, Duration retryEvery,
                             String connectionName) {
        this.nodes = List.of(Address.parseAddresses(broker.addressLine()));
        factory.setRequestedHeartbeat((int) broker.heartbeat().toSeconds());
        factory.setUsername(broker.username());
        factory.setPassword(broker.password());
        factory.setVirtualHost(broker.virtualHost());
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        this.exchange = exchange;
        this.directory = directory;
        this.retryEvery = retryEvery;
        this.connectionName = connectionName;
    }

    @Override
    protected void doStart() {
        connector = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "caravan-heartbeat-connect"));
        connector.execute(this::connect);
    }

    private void connect() {
        try {
            Connection opened = factory.newConnection(nodes, connectionName);
            Channel channel = opened.createChannel();
            channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, false);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, exchange, "");
            channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    receive(body);
                }
            });
            connection = opened;
            if (isStoppingOrStopped()) {
                opened.abort();
            }
        } catch (IOException | TimeoutException | RuntimeException unreachable) {
            LOG.warn("Cannot listen to worker heartbeats yet ({}); trying again in {} s", unreachable.getMessage(),
                    retryEvery.toSeconds());
            connector.schedule(this::connect, retryEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void receive(byte[] body) {
        try {
            directory.record(Json.read(body, WorkerHeartbeat.class));
        } catch (IOException unreadable) {
            LOG.warn("Dropped a heartbeat that is not one: {}", unreadable.getMessage());
        }
    }

    /** Aborting (not closing) also ends a recovery in progress, so a node stopped while the broker is away stops trying. */
    @Override
    protected void doStop() {
        connector.shutdownNow();
        Connection open = connection;
        if (open != null) {
            open.abort(ABORT_TIMEOUT_MS);
        }
    }
}
