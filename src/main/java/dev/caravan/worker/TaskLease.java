package dev.caravan.worker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running task's hold on the broker, so that a task longer than the broker's consumer timeout (RabbitMQ's global
 * {@code consumer_timeout}, 30 minutes as shipped; 3.10 has no per-queue one) is neither lost nor run twice at once.
 *
 * <p>The task's own message is acknowledged as soon as the lease holds a copy of it, so no delivery stays unacked for
 * the whole run. The copy lives in a queue of the task's own, {@code <task queue>.lease.<job id>}, which this lease
 * consumes with an <em>exclusive</em> consumer (the broker grants one at a time: that is the mutex) and holds unacked.
 * Every renewal interval (shorter than the consumer timeout) it publishes a fresh copy and acks the older one, so no
 * delivery grows older than the timeout. If the worker dies, its channel closes, the held copy goes back into the
 * lease queue, expires there at once (a one-second TTL counted from its publishing) and is dead-lettered into the task
 * queue, where another slot takes it. If this lease's channel closes while the worker lives (the broker timed it out,
 * a network fault), {@link #lost()} turns true and the runner stops the task: it is about to run elsewhere.
 */
final class TaskLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskLease.class);
    /** How long a copy of a lease queue outlives its holder before it goes back to the task queue. */
    static final long COPY_TTL_MS = 1000;
    /** A lease queue nobody uses is deleted by the broker after this, so a crash leaves no queue behind. */
    static final long UNUSED_QUEUE_EXPIRY_MS = Duration.ofMinutes(10).toMillis();

    private final Channel channel;
    private final String queue;
    private final byte[] body;
    private final AMQP.BasicProperties properties;
    private final AtomicLong held = new AtomicLong(-1);
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Runnable onLost = () -> { };

    private TaskLease(Channel channel, String queue, byte[] body, AMQP.BasicProperties properties) {
        this.channel = channel;
        this.queue = queue;
        this.body = body;
        this.properties = properties;
    }

    /**
     * Takes the lease of a task, holding a copy of its message; empty when another live runner holds it (the task's
     * message was delivered again while it runs elsewhere).
     *
     * @param channel      a channel for this lease alone, closed with it
     * @param taskQueue    the queue the task came from, which its copy returns to if this lease is lost
     * @param exchange     the job exchange, and the task's routing key on it
     * @throws IOException when the broker cannot be reached or refuses the lease queue
     */
    static Optional<TaskLease> acquire(Channel channel, String taskQueue, String exchange, String routingKey,
                                                 String jobId, byte[] body, AMQP.BasicProperties properties)
            throws IOException, InterruptedException, TimeoutException {
        String queue = taskQueue + ".lease." + jobId;
        channel.queueDeclare(queue, true, false, false, Map.of(
                "x-dead-letter-exchange", exchange,
                "x-dead-letter-routing-key", routingKey,
                "x-message-ttl", COPY_TTL_MS,
                "x-expires", UNUSED_QUEUE_EXPIRY_MS));
        channel.confirmSelect();
        TaskLease lease = new TaskLease(channel, queue, body, properties);
        try {
            channel.basicConsume(queue, false, "lease-" + jobId, false, true, Map.of(), lease.consumer());
        } catch (IOException refused) {
            if (refused.getCause() instanceof ShutdownSignalException signal && !signal.isHardError()
                    && signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == AMQP.ACCESS_REFUSED) {
                return Optional.empty();
            }
            throw refused;
        }
        channel.addShutdownListener(signal -> {
            if (!lease.closing.get()) {
                lease.lost.set(true);
                lease.onLost.run();
                LOG.warn("job={}: its lease was lost ({}); it will run again elsewhere", jobId, signal.getMessage());
            }
        });
        lease.renew();
        return Optional.of(lease);
    }

    private DefaultConsumer consumer() {
        return new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] copy) throws IOException {
                // the newest copy is the one held; an older one (ours, or a dead holder's) is let go
                long older = held.getAndSet(envelope.getDeliveryTag());
                if (older >= 0) {
                    getChannel().basicAck(older, false);
                }
            }
        };
    }

    /** Publishes a fresh copy and waits until it is held; the older copy is acked on its arrival. */
    void renew() throws IOException, InterruptedException, TimeoutException {
        long before = held.get();
        channel.basicPublish("", queue, properties, body);
        channel.waitForConfirmsOrDie(Duration.ofSeconds(30).toMillis());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (held.get() == before) {
            if (System.nanoTime() > deadline || lost.get()) {
                throw new IOException("the lease copy in " + queue + " did not arrive");
            }
            Thread.sleep(5);
        }
    }

    /** What to do when the lease is lost while the task runs: stop it, as its copy is about to run elsewhere. */
    void onLost(Runnable stop) {
        this.onLost = stop;
        if (lost.get()) {
            stop.run();
        }
    }

    /** True once the broker closed this lease's channel: the task may already run elsewhere. */
    boolean lost() {
        return lost.get();
    }

    /** The task has ended and its result is safe: the copy is acked and the lease queue deleted. */
    void release() {
        closing.set(true);
        try {
            long copy = held.get();
            if (copy >= 0) {
                channel.basicAck(copy, false);
            }
            channel.queueDelete(queue);
        } catch (IOException | RuntimeException e) {
            LOG.warn("lease queue {} was not deleted ({}); the broker drops it unused after {} min", queue, e.getMessage(),
                    Duration.ofMillis(UNUSED_QUEUE_EXPIRY_MS).toMinutes());
        }
        close();
    }

    /** Closes the channel: a copy still held goes back into the lease queue and from there to the task queue. */
    @Override
    public void close() {
        closing.set(true);
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException ignored) {
            // closing is all that is asked; a channel the broker closed is closed
        }
    }
}
