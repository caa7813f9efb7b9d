package dev.caravan.config;

/** The names of the exchanges and queues that make up Caravan's topology on the broker. */
public record QueueNames(String exchange, String execute, String deadLetterExchange, String deadLetter) {

    /** Routing key of jobs on both the job exchange and the dead-letter exchange. */
    public static final String EXECUTE_ROUTING_KEY = "execute";

    static QueueNames read(SettingsReader reader) {
        return new QueueNames(
                reader.text("caravan.queue.exchange"),
                reader.text("caravan.queue.execute"),
                reader.text("caravan.queue.dead-letter-exchange"),
                reader.text("caravan.queue.dead-letter"));
    }
}
