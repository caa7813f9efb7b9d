package dev.caravan.queue;

import com.rabbitmq.client.Address;
import dev.caravan.config.BrokerSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * The two broker connections a Caravan process keeps, each with its channels cached instead of opened per job.
 * Publisher confirms cost a broker acknowledgement and client bookkeeping on every publish of a channel in confirm
 * mode, so only the connection that publishes jobs (and parks them) has them: {@link #confirmed()}, for
 * {@link JobPublisher} and the dead-letter routes (named {@value #CONFIRMED_BEAN} in the registry, for
 * {@code spring-rabbitmq:…?connectionFactory=#…&confirm=enabled}). The workers' consumers, their replies and
 * everything else use {@link #unconfirmed()}, a connection of its own (Spring AMQP's advice: never let publishers
 * and consumers share one, so that a blocked publisher cannot stall consumption).
 *
 * @param confirmed   channels in publisher-confirm mode (correlated confirms)
 * @param unconfirmed channels without confirms: the {@code spring-rabbitmq} component's default
 * @param nodes       every address of the broker ({@code caravan.broker.addresses})
 */
public record BrokerConnections(CachingConnectionFactory confirmed, CachingConnectionFactory unconfirmed, List<Address> nodes) {

    /** Registry name of {@link #confirmed()}, for endpoints that publish with {@code confirm=enabled}. */
    public static final String CONFIRMED_BEAN = "rabbitConfirmedConnectionFactory";

    /** Registry name of {@link #unconfirmed()}, the {@code spring-rabbitmq} component's default. */
    public static final String UNCONFIRMED_BEAN = "rabbitConnectionFactory";

    private static final int CHANNEL_CACHE_SIZE = 64;

    /** Both factories, for one process; they connect on first use. */
    public static BrokerConnections create(BrokerSettings broker, String processName) {
        CachingConnectionFactory confirmed = factory(broker, processName + " (jobs)");
        // Jobs are published with confirms: a job the broker did not take must be answered, not lost.
        confirmed.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        return new BrokerConnections(confirmed, factory(broker, processName),
                List.of(Address.parseAddresses(broker.addressLine())));
    }

    /**
     * A factory that connects to any of the broker's addresses, in random order so that a fleet spreads over a
     * cluster's nodes, and on losing its connection (its node died, or a heartbeat went unanswered) opens the next one
     * on whichever node answers (spring-rabbit {@code AbstractConnectionFactory.setAddresses} with
     * {@code AddressShuffleMode.RANDOM}; camel-spring-rabbitmq takes the factory as it is given).
     */
    private static CachingConnectionFactory factory(BrokerSettings broker, String connectionName) {
        CachingConnectionFactory factory = new CachingConnectionFactory();
        factory.setAddresses(broker.addressLine());
        factory.setAddressShuffleMode(AbstractConnectionFactory.AddressShuffleMode.RANDOM);
        factory.setRequestedHeartBeat((int) broker.heartbeat().toSeconds());
        factory.setUsername(broker.username());
        factory.setPassword(broker.password());
        factory.setVirtualHost(broker.virtualHost());
        factory.setConnectionNameStrategy(f -> connectionName);
        factory.setChannelCacheSize(CHANNEL_CACHE_SIZE);
        return factory;
    }

    /**
     * A connection of its own, outside both factories' caches, to any node of the broker (shuffled like theirs), for
     * rare operations whose channel state must not reach the hot path.
     *
     * @throws IOException      when no node can be reached
     * @throws TimeoutException when none completes the AMQP handshake in time
     */
    public com.rabbitmq.client.Connection openDedicated(String connectionName) throws IOException, TimeoutException {
        return unconfirmed.getRabbitConnectionFactory().newConnection(shuffledAddresses(), connectionName);
    }

    private List<Address> shuffledAddresses() {
        List<Address> addresses = new ArrayList<>(nodes);
        Collections.shuffle(addresses);
        return addresses;
    }

    /** Tells the listener of every new connection of both factories (each reconnects on its own). */
    public void addConnectionListener(ConnectionListener listener) {
        confirmed.addConnectionListener(listener);
        unconfirmed.addConnectionListener(listener);
    }
}
