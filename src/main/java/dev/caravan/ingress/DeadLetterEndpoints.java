package dev.caravan.ingress;

import dev.caravan.queue.DeadLetterQueue;
import java.util.Map;
import org.apache.camel.Exchange;

/** The HTTP face of the dead-letter queue, for operators: list, replay, purge. */
public final class DeadLetterEndpoints {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 1000;

    private final DeadLetterQueue deadLetters;
    private final BearerAuthorization authorization;

    public DeadLetterEndpoints(DeadLetterQueue deadLetters, BearerAuthorization authorization) {
        this.deadLetters = deadLetters;
        this.authorization = authorization;
    }

    /** {@code GET /admin/dead-letters?limit=N} lists, {@code DELETE /admin/dead-letters} purges. */
    public void listOrPurge(Exchange exchange) {
        authorization.require(exchange);
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if ("DELETE".equals(method)) {
            HttpExchanges.answer(exchange, 200, Map.of("purged", deadLetters.purge()));
            return;
        }
        HttpExchanges.requireMethod(exchange, "GET");
        HttpExchanges.answer(exchange, 200, deadLetters.peek(limit(exchange)));
    }

    /** {@code POST /admin/dead-letters/replay}: every parked job back to the execute queue. */
    public void replayAll(Exchange exchange) {
        authorization.require(exchange);
        HttpExchanges.requireMethod(exchange, "POST");
        HttpExchanges.answer(exchange, 200, Map.of("replayed", deadLetters.replay(id -> true)));
    }

    /** {@code POST /admin/dead-letters/{id}/replay}: one parked job back to the execute queue. */
    public void replayOne(Exchange exchange) {
        authorization.require(exchange);
        HttpExchanges.requireMethod(exchange, "POST");
        String id = exchange.getMessage().getHeader("id", String.class);
        int replayed = deadLetters.replay(id::equals);
        if (replayed == 0) {
            throw new ApiException(404, "no dead-lettered job with id '" + id + "'");
        }
        HttpExchanges.answer(exchange, 200, Map.of("replayed", replayed));
    }

    private static int limit(Exchange exchange) {
        String value = exchange.getMessage().getHeader("limit", String.class);
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badField("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + " but was '" + value + "'");
    }
}
