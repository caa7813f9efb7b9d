package dev.caravan.worker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.caravan.contract.Json;
import dev.caravan.queue.BrokerConnections;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;

/**
 * Feeds one task slot: when the slot is idle it takes the next task from its queue ({@code basic.get}, so nothing is
 * ever delivered to a busy slot: a task never waits behind a running one while another slot is idle), puts it under a
 * {@link TaskLease}, acknowledges it, and runs it through the slot's route ({@link TaskRoutes}: store reports,
 * {@link TaskRunner}, {@link WorkerErrorHandling}'s retries and dead letters). The reply goes to a waiting caller's
 * reply-to; the lease is released once the route has settled the task (a result, or a parked copy). A route that
 * could not settle it (the dead-letter queue unreachable) leaves the lease to lapse, so the task comes back.
 */
final class TaskSlotFeeder extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TaskSlotFeeder.class);
    /** How long an idle slot waits before asking its queue again: the most a GPU stays idle while a task waits. */
    static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final DefaultMessagePropertiesConverter AMQP_PROPERTIES = new DefaultMessagePropertiesConverter();

    private final CamelContext context;
    private final BrokerConnections connections;
    private final TaskSlot slot;
    private final String queue;
    private final String exchange;
    private final String routingKey;
    private final String route;
    private final Duration leaseRenewal;
    private final ScheduledExecutorService renewals;
    private volatile boolean running;
    private Thread thread;
    private Connection connection;

    /** @param route the slot's route ({@code direct:task-gpu0}) */
    TaskSlotFeeder(CamelContext context, BrokerConnections connections, TaskSlot slot, String queue, String exchange,
                   String routingKey, String route, Duration leaseRenewal) {
        this.context = context;
        this.connections = connections;
        this.slot = slot;
        this.queue = queue;
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.route = route;
        this.leaseRenewal = leaseRenewal;
        this.renewals = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread renewer = new Thread(task, "caravan-lease-" + slot.name());
            renewer.setDaemon(true);
            return renewer;
        });
    }

    @Override
    protected void doStart() {
        running = true;
        thread = new Thread(this::feed, "caravan-task-" + slot.name());
        // a task still running when the worker exits is not lost: its lease lapses and it runs again elsewhere
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        // a task that is running finishes (within Camel's shutdown timeout); an idle slot stops at its next poll
        thread.join(TimeUnit.SECONDS.toMillis(context.getShutdownStrategy().getTimeout()));
        renewals.shutdownNow();
    }

    private void feed() {
        ProducerTemplate producer = context.createProducerTemplate();
        Channel channel = null;
        while (running) {
            try {
                if (!context.getStatus().isStarted()) {
                    Thread.sleep(IDLE_POLL.toMillis());
                    continue;
                }
                if (connection == null || !connection.isOpen()) {
                    connection = connections.openDedicated("caravan-task-" + slot.name());
                }
                if (channel == null || !channel.isOpen()) {
                    channel = connection.createChannel();
                }
                GetResponse task = channel.basicGet(queue, false);
                if (task == null) {
                    Thread.sleep(IDLE_POLL.toMillis());
                    continue;
                }
                take(channel, task, producer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // A closed channel's IOException says nothing by itself; its cause says why (a missing queue, a lost node).
                LOG.warn("task slot {}: {}{}; trying again", slot.name(), e,
                        e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")");
                closeQuietly(channel);
                channel = null;
                sleepQuietly();
            }
        }
        closeQuietly(channel);
        try {
            if (connection != null && connection.isOpen()) {
                connection.close();
            }
        } catch (IOException ignored) {
            // stopping: the broker drops the connection all the same
        }
    }

    private void take(Channel channel, GetResponse task, ProducerTemplate producer) throws Exception {
        AMQP.BasicProperties properties = task.getProps();
        String jobId = properties.getMessageId();
        Optional<TaskLease> taken = TaskLease.acquire(connection.createChannel(), queue, exchange, routingKey,
                jobId, task.getBody(), properties);
        if (taken.isEmpty()) {
            LOG.info("job={}: delivered again while it runs elsewhere under its lease; left to that run", jobId);
            channel.basicAck(task.getEnvelope().getDeliveryTag(), false);
            return;
        }
        TaskLease lease = taken.get();
        // the lease holds a copy now: the task's own delivery must not stay unacked for the whole run
        channel.basicAck(task.getEnvelope().getDeliveryTag(), false);
        ScheduledFuture<?> renewing = renewals.scheduleAtFixedRate(() -> renew(lease, jobId),
                leaseRenewal.toMillis(), leaseRenewal.toMillis(), TimeUnit.MILLISECONDS);
        Exchange exchange = exchangeOf(task, lease);
        try {
            producer.send(route, exchange);
        } finally {
            renewing.cancel(false);
        }
        if (lease.lost()) {
            LOG.warn("job={}: its lease was lost while it ran; its result is dropped, it runs again", jobId);
            lease.close();
        } else if (exchange.getException() != null) {
            LOG.warn("job={}: not settled ({}); its lease lapses and the task comes back", jobId, exchange.getException().toString());
            lease.close();
        } else {
            reply(channel, properties, exchange);
            lease.release();
        }
    }

    private void renew(TaskLease lease, String jobId) {
        try {
            lease.renew();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closing makes the lease lost: the task is stopped here, and its copy runs again elsewhere
            LOG.warn("job={}: its lease could not be renewed: {}", jobId, e.toString());
            lease.close();
        }
    }

    /** The task as the slot's route reads it: the headers {@link JobMessageProperties} maps, and the lease. */
    private Exchange exchangeOf(GetResponse task, TaskLease lease) {
        MessageProperties properties = AMQP_PROPERTIES.toMessageProperties(task.getProps(), task.getEnvelope(),
                StandardCharsets.UTF_8.name());
        Exchange exchange = new DefaultExchange(context, ExchangePattern.InOnly);
        Map<String, Object> headers = new JobMessageProperties().fromMessageProperties(properties, exchange);
        exchange.getMessage().setHeaders(headers);
        exchange.getMessage().setBody(task.getBody());
        exchange.setProperty(TaskRunner.LEASE, lease);
        return exchange;
    }

    /** A caller waiting on direct reply-to gets the route's answer, as the judge route's consumer sends it. */
    private static void reply(Channel channel, AMQP.BasicProperties request, Exchange exchange) throws IOException {
        if (request.getReplyTo() == null) {
            return;
        }
        Object outcome = exchange.getMessage().getHeader(JobOutcome.HEADER);
        AMQP.BasicProperties reply = new AMQP.BasicProperties.Builder()
                .contentType(Json.CONTENT_TYPE)
                .correlationId(request.getCorrelationId())
                .headers(outcome == null ? Map.of() : Map.of(JobOutcome.HEADER, outcome.toString()))
                .build();
        channel.basicPublish("", request.getReplyTo(), reply, exchange.getMessage().getBody(byte[].class));
    }

    private static void closeQuietly(Channel channel) {
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (Exception ignored) {
            // a channel that cannot close cleanly is dropped all the same
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
