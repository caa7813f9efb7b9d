package dev.caravan.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.contract.Json;
import com.rabbitmq.client.GetResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * One parked job as an operator sees it, whether a worker parked it (poison, expired, a fault that exhausted its
 * retries) or the broker did (expired in the queue, rejected, delivery limit reached).
 */
public record DeadLetter(
        String id,
        String reason,
        String exception,
        Integer attempts,
        String worker,
        @JsonProperty("first_dead_lettered_at") String firstDeadLetteredAt,
        @JsonProperty("last_dead_lettered_at") String lastDeadLetteredAt,
        JsonNode job) {

    public static final String REASON = "x-caravan-reason";
    public static final String EXCEPTION = "x-caravan-exception";
    public static final String ATTEMPTS = "x-caravan-attempts";
    public static final String WORKER = "x-caravan-worker";
    public static final String FIRST_DEAD_LETTERED_AT = "x-caravan-first-dead-lettered-at";
    public static final String DEAD_LETTERED_AT = "x-caravan-dead-lettered-at";

    private static final String BROKER_REASON = "x-first-death-reason";
    private static final String BROKER_DEATHS = "x-death";

    static DeadLetter from(GetResponse message) {
        Map<String, Object> headers = message.getProps().getHeaders() == null ? Map.of() : message.getProps().getHeaders();
        String brokerTime = brokerDeathTime(headers);
        String last = text(headers.get(DEAD_LETTERED_AT), brokerTime);
        return new DeadLetter(
                message.getProps().getMessageId(),
                text(headers.get(REASON), text(headers.get(BROKER_REASON), "unknown")),
                text(headers.get(EXCEPTION), null),
                headers.get(ATTEMPTS) instanceof Number n ? n.intValue() : null,
                text(headers.get(WORKER), null),
                text(headers.get(FIRST_DEAD_LETTERED_AT), last),
                last,
                Json.treeOrText(message.getBody()));
    }

    /**
     * Why the broker itself last dead-lettered a message with these headers ({@code expired}, {@code delivery_limit},
     * {@code rejected}: the newest entry of {@code x-death}, which RabbitMQ keeps newest first, else
     * {@code x-first-death-reason}; RabbitMQ's "Dead Letter Exchanges" page), or null when a worker parked it (it
     * carries the worker's {@link #REASON}) or nothing dead-lettered it.
     */
    public static String brokerReason(Map<String, Object> headers) {
        if (headers.get(REASON) != null) {
            return null;
        }
        if (headers.get(BROKER_DEATHS) instanceof List<?> deaths && !deaths.isEmpty()
                && deaths.get(0) instanceof Map<?, ?> death && death.get("reason") != null) {
            return death.get("reason").toString();
        }
        return text(headers.get(BROKER_REASON), null);
    }

    private static String brokerDeathTime(Map<String, Object> headers) {
        if (headers.get(BROKER_DEATHS) instanceof List<?> deaths && !deaths.isEmpty()
                && deaths.get(0) instanceof Map<?, ?> death && death.get("time") instanceof Date time) {
            return Instant.ofEpochMilli(time.getTime()).toString();
        }
        return null;
    }

    private static String text(Object value, String fallback) {
        return value == null ? fallback : value.toString();
    }
}
