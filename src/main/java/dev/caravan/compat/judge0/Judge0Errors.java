package dev.caravan.compat.judge0;

import dev.caravan.ingress.ApiException;
import dev.caravan.ingress.HttpExchanges;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Failures of the Judge0 routes in Judge0's bodies: {@code 422} with the fields at fault, other refusals as
 * {@code {"error": "..."}} (submissions_controller.rb); infrastructure failures (503, 504) as Caravan's ingress
 * answers them, whose body also carries {@code "error"}.
 */
public final class Judge0Errors implements Processor {

    private final Processor ingressErrors;

    public Judge0Errors(Processor ingressErrors) {
        this.ingressErrors = ingressErrors;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof Judge0Unprocessable unprocessable) {
            HttpExchanges.answer(exchange, 422, unprocessable.errors());
        } else if (failure instanceof ApiException refused) {
            HttpExchanges.answer(exchange, refused.httpStatus(), Map.of("error", refused.getMessage()));
        } else {
            ingressErrors.process(exchange);
        }
    }
}
