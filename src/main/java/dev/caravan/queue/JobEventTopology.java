package dev.caravan.queue;

import com.rabbitmq.client.Channel;
import dev.caravan.config.QueueNames;
import dev.caravan.config.QueuePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * Declares the results exchange and queue, the callbacks queue and the cancellations exchange on every new broker
 * connection, beside {@link QueueTopology}: a worker's first event must find them, or the broker would drop it.
 * The two queues are durable and of the job queue's type (quorum by default), so events and callbacks survive a
 * broker restart while no store node consumes them.
 *
 * <p>The results queue is also bound to the dead-letter exchange with the jobs' routing key, so it receives a copy of
 * every dead-lettered job: a job the broker itself dead-letters (expired in the queue or past its delivery limit
 * after its worker died) has no worker to report its end, and this copy ends its record ({@code ResultRecorder}).
 */
public final class JobEventTopology implements ConnectionListener {

    private final JobEventQueues names;
    private final String deadLetterExchange;
    private final QueuePolicy policy;

    /** @param deadLetterExchange the jobs' dead-letter exchange ({@code QueueNames.deadLetterExchange}) */
    public JobEventTopology(JobEventQueues names, String deadLetterExchange, QueuePolicy policy) {
        this.names = names;
        this.deadLetterExchange = deadLetterExchange;
        this.policy = policy;
    }

    @Override
    public void onCreate(Connection connection) {
        try (Channel channel = connection.createChannel(false)) {
            Map<String, Object> type = policy.queueArguments();
            channel.exchangeDeclare(names.resultsExchange(), "direct", true);
            channel.queueDeclare(names.results(), true, false, false, type);
            channel.queueBind(names.results(), names.resultsExchange(), JobEventQueues.RESULT_ROUTING_KEY);
            channel.exchangeDeclare(deadLetterExchange, "direct", true);
            channel.queueBind(names.results(), deadLetterExchange, QueueNames.EXECUTE_ROUTING_KEY);
            channel.queueDeclare(names.callbacks(), true, false, false, type);
            channel.exchangeDeclare(names.cancellationsExchange(), "fanout", true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot declare the results and callbacks queues: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot declare the results and callbacks queues: " + e.getMessage(), e);
        }
    }
}
