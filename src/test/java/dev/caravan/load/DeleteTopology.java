package dev.caravan.load;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Deletes the queues and exchanges a benchmark or scenario run declared on the local broker, since
 * {@code rabbitmqctl} cannot delete exchanges. Usage: {@code DeleteTopology <exchange-or-queue-name>...}.
 */
public final class DeleteTopology {

    private DeleteTopology() {
    }

    public static void main(String[] names) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        try (Connection connection = factory.newConnection("caravan-cleanup"); Channel channel = connection.createChannel()) {
            for (String name : names) {
                channel.queueDelete(name);
                channel.exchangeDelete(name);
            }
        }
    }
}
