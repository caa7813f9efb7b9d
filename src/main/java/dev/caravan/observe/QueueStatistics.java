package dev.caravan.observe;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The execute queue as the broker sees it (jobs waiting, consumers attached), asked at most once per
 * {@code maxAge} however often it is scraped, and NaN while the broker cannot be asked.
 */
public final class QueueStatistics {

    private record Snapshot(long takenNanos, double depth, double consumers) {
    }

    private final ConnectionFactory connections;
    private final String queue;
    private final long maxAgeNanos;
    private volatile Snapshot last = new Snapshot(Long.MIN_VALUE, Double.NaN, Double.NaN);

    public QueueStatistics(ConnectionFactory connections, String queue, Duration maxAge) {
        this.connections = connections;
        this.queue = queue;
        this.maxAgeNanos = maxAge.toNanos();
    }

    public void register(MeterRegistry registry) {
        Gauge.builder("caravan.execute.queue.depth", this, QueueStatistics::depth)
                .description("Jobs waiting in the execute queue, from the broker").register(registry);
        Gauge.builder("caravan.execute.queue.consumers", this, QueueStatistics::consumers)
                .description("Worker consumers attached to the execute queue, from the broker").register(registry);
    }

    /** Jobs waiting in the execute queue, at most {@code maxAge} old; NaN while the broker cannot be asked. */
    public double depth() {
        return current().depth();
    }

    /** Consumers attached to the execute queue, at most {@code maxAge} old; NaN while the broker cannot be asked. */
    public double consumers() {
        return current().consumers();
    }

    /** Asks the broker whether the execute queue exists; throws when it cannot tell. */
    public AMQP.Queue.DeclareOk declared() throws Exception {
        try (Connection connection = connections.createConnection(); Channel channel = connection.createChannel(false)) {
            return channel.queueDeclarePassive(queue);
        }
    }

    private synchronized Snapshot current() {
        long now = System.nanoTime();
        if (last.takenNanos() != Long.MIN_VALUE && now - last.takenNanos() < maxAgeNanos) {
            return last;
        }
        try {
            AMQP.Queue.DeclareOk queueState = declared();
            last = new Snapshot(now, queueState.getMessageCount(), queueState.getConsumerCount());
        } catch (Exception unavailable) {
            last = new Snapshot(now, Double.NaN, Double.NaN);
        }
        return last;
    }
}
