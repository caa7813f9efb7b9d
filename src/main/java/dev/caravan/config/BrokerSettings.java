package dev.caravan.config;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the RabbitMQ broker is and how to log in.
 *
 * @param addresses   {@code host:port} of every node Caravan may connect to, in the order written:
 *                    {@code caravan.broker.addresses}, or {@code caravan.broker.host}:{@code caravan.broker.port}
 *                    when that is blank. Several addresses are the nodes of one cluster.
 * @param heartbeat   {@code caravan.broker.heartbeat}: the AMQP heartbeat timeout Caravan asks for; the broker (and
 *                    the client) count a silent connection dead after about two of them without traffic
 */
public record BrokerSettings(List<String> addresses, String username, String password, String virtualHost,
                             Duration heartbeat) {

    /** A host name, IPv4 address or bracketed IPv6 address, then a port. */
    private static final Pattern ADDRESS = Pattern.compile("([^\\s:,\\[\\]]+|\\[[0-9a-fA-F:.]+\\]):(\\d{1,5})");

    static BrokerSettings read(SettingsReader reader) {
        Duration heartbeat = reader.positiveDuration("caravan.broker.heartbeat");
        if (heartbeat.toSeconds() < 1) {
            // AMQP counts heartbeats in whole seconds, and 0 turns them off.
            throw new InvalidSettingException("caravan.broker.heartbeat", "must be at least 1s but was " + heartbeat.toMillis() + " ms");
        }
        return new BrokerSettings(addresses(reader), reader.text("caravan.broker.username"),
                reader.text("caravan.broker.password"), reader.text("caravan.broker.virtual-host"), heartbeat);
    }

    private static List<String> addresses(SettingsReader reader) {
        List<String> listed = reader.list("caravan.broker.addresses");
        if (listed.isEmpty()) {
            return List.of(reader.text("caravan.broker.host") + ":" + reader.positiveInt("caravan.broker.port"));
        }
        for (String address : listed) {
            Matcher matcher = ADDRESS.matcher(address);
            if (!matcher.matches() || Integer.parseInt(matcher.group(2)) < 1 || Integer.parseInt(matcher.group(2)) > 65535) {
                throw new InvalidSettingException("caravan.broker.addresses",
                        "expected host:port[,host:port…] but '" + address + "' is not host:port with a port from 1 to 65535");
            }
        }
        return List.copyOf(listed);
    }

    /** The addresses as one comma-separated line, as the AMQP client and the logs take them. */
    public String addressLine() {
        return String.join(",", addresses);
    }
}
