package dev.caravan.ingress;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;

/** Counts the API's answers by HTTP status, called once per request when its route completes. */
public final class ApiResponses {

    private final MeterRegistry registry;

    public ApiResponses(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        String route = exchange.getFromRouteId();
        registry.counter("caravan.api.responses", "status", String.valueOf(status), "route", route == null ? "" : route).increment();
    }
}
