package dev.caravan.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How the execute queue protects its jobs: its type, how many broker deliveries a job gets before it is
 * dead-lettered (a worker that dies mid-job counts one), how long a job may wait, how many may wait, and on how
 * many cluster nodes a quorum queue keeps its replicas.
 *
 * @param initialGroupSize replicas of each quorum queue when it is created ({@code x-quorum-initial-group-size});
 *                         0 leaves it to the broker, which puts one on every cluster node
 */
public record QueuePolicy(QueueType type, int deliveryLimit, Duration messageTtl, int maxLength, int initialGroupSize) {

    /**
     * Three replicas survive the loss of any one node and need only two for a commit; more cost every publish a
     * write on each of them and add no safety against one machine's loss (RabbitMQ docs, "Quorum Queues: Replica
     * Management"; RabbitMQ recommends an odd number).
     */
    static final int REPLICAS_OF_A_CLUSTER = 3;

    /**
     * @param brokerNodes how many broker addresses are configured: the nodes of the cluster, as far as Caravan knows.
     *                    With three or more, {@code caravan.queue.quorum-initial-group-size} defaults to 3; with fewer
     *                    (one node, or one address in front of a cluster) it is left to the broker.
     */
    static QueuePolicy read(SettingsReader reader, int brokerNodes) {
        String groupSize = reader.textOrEmpty("caravan.queue.quorum-initial-group-size");
        return new QueuePolicy(
                reader.oneOf("caravan.queue.type", QueueType.class),
                reader.positiveInt("caravan.queue.delivery-limit"),
                reader.positiveDuration("caravan.queue.message-ttl"),
                reader.positiveInt("caravan.queue.max-length"),
                groupSize.isEmpty() ? (brokerNodes >= REPLICAS_OF_A_CLUSTER ? REPLICAS_OF_A_CLUSTER : 0)
                        : reader.positiveInt("caravan.queue.quorum-initial-group-size"));
    }

    /**
     * The arguments every durable queue of Caravan is declared with: its type, and for a quorum queue its replica
     * count when one is set. The broker caps the count at the cluster's size; it does compare the count when a queue
     * is declared again (RabbitMQ 3.10.8 answers "inequivalent arg 'x-quorum-initial-group-size'"), so every Caravan
     * process of a deployment must resolve the same count, and a changed one needs the queues made again.
     */
    public Map<String, Object> queueArguments() {
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("x-queue-type", type.name().toLowerCase());
        if (type == QueueType.QUORUM && initialGroupSize > 0) {
            arguments.put("x-quorum-initial-group-size", initialGroupSize);
        }
        return arguments;
    }
}
