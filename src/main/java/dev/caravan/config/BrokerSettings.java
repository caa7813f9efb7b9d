package dev.caravan.config;

/** Where the RabbitMQ broker is and how to log in. */
public record BrokerSettings(String host, int port, String username, String password, String virtualHost) {

    static BrokerSettings read(SettingsReader reader) {
        return new BrokerSettings(
                reader.text("caravan.broker.host"),
                reader.positiveInt("caravan.broker.port"),
                reader.text("caravan.broker.username"),
                reader.text("caravan.broker.password"),
                reader.text("caravan.broker.virtual-host"));
    }
}
