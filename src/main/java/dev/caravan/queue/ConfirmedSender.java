package dev.caravan.queue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Sends a message and returns only once the broker confirmed it holds it (publisher confirms, RabbitMQ's
 * "Consumer Acknowledgements and Publisher Confirms" guide), so a caller can ack its own input only after its
 * output is safe. Its exchanges and queues are declared on connect ({@link JobEventTopology}), so a message is routable.
 */
public final class ConfirmedSender {

    private final RabbitTemplate template;
    private final Duration confirmTimeout;

    public ConfirmedSender(ConnectionFactory connections, Duration confirmTimeout) {
        this.template = new RabbitTemplate(connections);
        this.confirmTimeout = confirmTimeout;
    }

    /**
     * @throws JobNotAcceptedException when the broker refused the message or did not confirm it within the timeout
     * @throws AmqpException when the broker cannot be reached
     */
    public void send(String exchange, String routingKey, Message message) {
        CorrelationData.Confirm confirm;
        try {
            confirm = publish(exchange, routingKey, message).get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobNotAcceptedException("interrupted while waiting for the broker's confirm");
        } catch (ExecutionException | TimeoutException e) {
            throw new JobNotAcceptedException("the broker did not confirm within " + confirmTimeout.toMillis() + " ms");
        }
        if (!confirm.isAck()) {
            throw new JobNotAcceptedException("the broker refused the message (" + confirm.getReason() + ")");
        }
    }

    /**
     * Sends without waiting for the broker's confirm, for a message whose loss costs only a moment's detail (a job's
     * "started" event); {@code onFailure} hears of a refused or unconfirmed one, on the connection's thread.
     *
     * @throws AmqpException when the broker cannot be reached
     */
    public void sendWithoutWaiting(String exchange, String routingKey, Message message, Consumer<String> onFailure) {
        publish(exchange, routingKey, message).orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((confirm, error) -> {
                    if (error != null || !confirm.isAck()) {
                        onFailure.accept(error != null ? "not confirmed within " + confirmTimeout.toMillis() + " ms"
                                : "refused (" + confirm.getReason() + ")");
                    }
                });
    }

    /** Publishes with a correlation of its own; the future completes with the broker's confirm. */
    private CompletableFuture<CorrelationData.Confirm> publish(String exchange, String routingKey, Message message) {
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        template.send(exchange, routingKey, message, correlation);
        return correlation.getFuture();
    }
}
