package dev.caravan.load;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.List;

/**
 * Deletes the queues and exchanges a test, benchmark or scenario run declared with a prefix of its own, since
 * {@code rabbitmqctl} cannot delete exchanges. Usage: {@code DeleteTopology <prefix> [other-queue-or-exchange...]},
 * where the prefix is the run's {@code caravan.queue.exchange} and the other names are its own routes' queues.
 */
public final class DeleteTopology {

    /**
     * The names Caravan derives from its exchange's name when the run follows the tests' scheme (execute queue
     * {@code P.execute}, dead letters {@code P.dead-letter} and {@code P.execute.dead-letter}, heartbeats
     * {@code P.heartbeats}): config.QueueNames for the task queues, queue.JobEventQueues for results, callbacks and
     * cancellations.
     */
    private static final List<String> DERIVED_SUFFIXES = List.of("", ".execute", ".execute.task.cpu", ".execute.task.gpu",
            ".dead-letter", ".execute.dead-letter", ".heartbeats", ".results", ".callbacks", ".cancellations");

    private DeleteTopology() {
    }

    /**
     * Deletes every queue and exchange named {@code prefix} plus one of {@link #DERIVED_SUFFIXES}; a name that does
     * not exist is skipped by the broker.
     *
     * @throws IOException when the broker closes the channel
     */
    public static void deleteAll(Channel channel, String prefix) throws IOException {
        for (String suffix : DERIVED_SUFFIXES) {
            delete(channel, prefix + suffix);
        }
    }

    private static void delete(Channel channel, String name) throws IOException {
        channel.queueDelete(name);
        channel.exchangeDelete(name);
    }

    public static void main(String[] args) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        try (Connection connection = factory.newConnection("caravan-cleanup"); Channel channel = connection.createChannel()) {
            deleteAll(channel, args[0]);
            for (int i = 1; i < args.length; i++) {
                delete(channel, args[i]);
            }
        }
    }
}
