package dev.caravan.ingress;

import dev.caravan.contract.Json;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Small helpers for reading an HTTP request and writing a JSON answer on a Camel exchange, for every API. */
public final class HttpExchanges {

    private HttpExchanges() {
    }

    /** @throws ApiException 405 for another method */
    public static void requireMethod(Exchange exchange, String method) {
        String actual = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if (!method.equalsIgnoreCase(actual)) {
            throw new ApiException(405, "method " + actual + " is not allowed here; use " + method);
        }
    }

    static void requireJson(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(Json.CONTENT_TYPE)) {
            throw new ApiException(415, "Content-Type must be application/json but was "
                    + (contentType == null ? "missing" : "'" + contentType + "'"));
        }
    }

    /** Replaces whatever the exchange carries (request or broker headers included) with a JSON answer. */
    public static void answer(Exchange exchange, int status, Object body) {
        byte[] json = body instanceof byte[] bytes ? bytes : Json.write(body);
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, Json.CONTENT_TYPE);
        message.setBody(json);
    }
}
