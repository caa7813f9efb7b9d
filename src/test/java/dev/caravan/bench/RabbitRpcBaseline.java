package dev.caravan.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * RabbitMQ's own request-reply speed on this machine, the baseline the queue benchmark divides by: clients
 * publish persistent messages to a durable queue with direct reply-to, one echo consumer with prefetch 1
 * acknowledges after replying, as Caravan's worker does. Prints {@code rps=… p50_ms=… p99_ms=…}.
 * Usage: {@code RabbitRpcBaseline <clients> <seconds> [classic|quorum]} (the queue's type; classic when absent, the
 * limit for the YAML work queue; quorum is the limit for {@code /execute} with its default queue).
 */
public final class RabbitRpcBaseline {

    private static final String REPLY_TO = "amq.rabbitmq.reply-to";

    private RabbitRpcBaseline() {
    }

    public static void main(String[] args) throws Exception {
        int clients = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        String queueType = args.length > 2 ? args[2] : "classic";
        String queue = "caravan-bench-baseline-" + UUID.randomUUID().toString().substring(0, 8);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        try (Connection connection = factory.newConnection("caravan-bench-baseline")) {
            Channel server = connection.createChannel();
            server.queueDeclare(queue, true, false, false, Map.of("x-queue-type", queueType));
            server.basicQos(1);
            server.basicConsume(queue, false, echo(server), tag -> { });

            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Thread client = new Thread(() -> runClient(connection, queue, warmupEnd, end, latencies));
                client.start();
                threads.add(client);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            server.queueDelete(queue);
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf("rps=%.1f p50_ms=%.2f p99_ms=%.2f%n", sorted.size() / (double) seconds,
                    percentile(sorted, 0.50), percentile(sorted, 0.99));
        }
    }

    private static DeliverCallback echo(Channel server) {
        return (tag, delivery) -> {
            AMQP.BasicProperties request = delivery.getProperties();
            AMQP.BasicProperties reply = new AMQP.BasicProperties.Builder().correlationId(request.getCorrelationId()).build();
            server.basicPublish("", request.getReplyTo(), reply, delivery.getBody());
            server.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
        };
    }

    private static void runClient(Connection connection, String queue, long warmupEnd, long end, List<Long> latencies) {
        try (Channel channel = connection.createChannel()) {
            BlockingQueue<String> replies = new ArrayBlockingQueue<>(1);
            channel.basicConsume(REPLY_TO, true, (tag, delivery) -> replies.add(delivery.getProperties().getCorrelationId()),
                    tag -> { });
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            long now;
            while ((now = System.nanoTime()) < end) {
                String id = UUID.randomUUID().toString();
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                        .correlationId(id).replyTo(REPLY_TO).deliveryMode(2).build();
                channel.basicPublish("", queue, props, body);
                String answered = replies.poll(30, TimeUnit.SECONDS);
                if (!id.equals(answered)) {
                    throw new IllegalStateException("lost or crossed reply: " + answered);
                }
                if (now >= warmupEnd) {
                    latencies.add(System.nanoTime() - now);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double percentile(List<Long> sortedNanos, double share) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.size() - 1, Math.round(share * (sortedNanos.size() - 1)));
        return sortedNanos.get(index) / 1_000_000.0;
    }
}
