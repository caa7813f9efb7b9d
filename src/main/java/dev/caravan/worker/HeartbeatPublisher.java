package dev.caravan.worker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import dev.caravan.config.HeartbeatSettings;
import dev.caravan.contract.Json;
import dev.caravan.observe.WorkerHeartbeat;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Publishes this worker's {@link WorkerHeartbeat} on the heartbeat fanout exchange, so that every API node (on any
 * host) lists it. A heartbeat lives one interval: one that waited longer in a queue says nothing current. A broker
 * that is away loses heartbeats, never jobs: the caller (a timer route) logs the failure and tries next time.
 */
public final class HeartbeatPublisher {

    private final ConnectionFactory connections;
    private final HeartbeatSettings settings;
    private final WorkerStats stats;
    private final String worker;
    private final int cpuSlots;
    private final String host = host();
    private final AMQP.BasicProperties properties;

    /**
     * @param worker   the process name (role, pid and host)
     * @param cpuSlots jobs this worker runs at once
     */
    public HeartbeatPublisher(ConnectionFactory connections, HeartbeatSettings settings, WorkerStats stats, String worker,
                              int cpuSlots) {
        this.connections = connections;
        this.settings = settings;
        this.stats = stats;
        this.worker = worker;
        this.cpuSlots = cpuSlots;
        this.properties = new AMQP.BasicProperties.Builder()
                .contentType(Json.CONTENT_TYPE)
                .expiration(String.valueOf(settings.interval().toMillis()))
                .build();
    }

    /** The heartbeat as of now. */
    public WorkerHeartbeat heartbeat() {
        return stats.heartbeat(worker, host, ProcessHandle.current().pid(), cpuSlots, settings.interval().toMillis());
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unnamed) {
            return "unknown";
        }
    }

    /** @throws Exception when the broker cannot be reached or refuses the exchange */
    public void publish() throws Exception {
        byte[] body = Json.write(heartbeat());
        try (Connection connection = connections.createConnection(); Channel channel = connection.createChannel(false)) {
            // Declared on every beat (one cheap round trip each interval), so a broker restarted empty gets it back.
            channel.exchangeDeclare(settings.exchange(), BuiltinExchangeType.FANOUT, false);
            channel.basicPublish(settings.exchange(), "", properties, body);
        }
    }
}
