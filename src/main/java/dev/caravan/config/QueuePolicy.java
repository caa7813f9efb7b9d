package dev.caravan.config;

import java.time.Duration;

/**
 * How the execute queue protects its jobs: its type, how many broker deliveries a job gets before it is
 * dead-lettered (a worker that dies mid-job counts one), how long a job may wait, and how many may wait.
 */
public record QueuePolicy(QueueType type, int deliveryLimit, Duration messageTtl, int maxLength) {

    static QueuePolicy read(SettingsReader reader) {
        return new QueuePolicy(
                reader.oneOf("caravan.queue.type", QueueType.class),
                reader.positiveInt("caravan.queue.delivery-limit"),
                reader.positiveDuration("caravan.queue.message-ttl"),
                reader.positiveInt("caravan.queue.max-length"));
    }
}
