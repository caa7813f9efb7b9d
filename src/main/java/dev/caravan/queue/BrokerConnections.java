package dev.caravan.queue;

import dev.caravan.config.BrokerSettings;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** The one connection factory a Caravan process shares, so channels are cached instead of opened per job. */
public final class BrokerConnections {

    private BrokerConnections() {
    }

    public static CachingConnectionFactory create(BrokerSettings broker, String processName) {
        CachingConnectionFactory factory = new CachingConnectionFactory(broker.host(), broker.port());
        factory.setUsername(broker.username());
        factory.setPassword(broker.password());
        factory.setVirtualHost(broker.virtualHost());
        factory.setConnectionNameStrategy(f -> processName);
        factory.setChannelCacheSize(64);
        // Jobs are published with confirms: a job the broker did not take must be answered, not lost.
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        return factory;
    }
}
