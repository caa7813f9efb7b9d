package dev.caravan.ingress;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class AdminAuthorizationTest {

    private static Exchange requestWith(String authorization) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("Authorization", authorization);
        return exchange;
    }

    private static int refusal(String token, String authorization) {
        return assertThrows(ApiException.class, () -> new AdminAuthorization(token).require(requestWith(authorization)))
                .httpStatus();
    }

    @Test
    void onlyTheConfiguredBearerTokenPasses() {
        assertDoesNotThrow(() -> new AdminAuthorization("s3cret").require(requestWith("Bearer s3cret")));
        assertEquals(401, refusal("s3cret", null));
        assertEquals(401, refusal("s3cret", "Basic czNjcmV0"));
        assertEquals(403, refusal("s3cret", "Bearer s3cre"));
        assertEquals(403, refusal("s3cret", "Bearer s3cret2"));
    }

    @Test
    void withoutAConfiguredTokenTheEndpointsAreClosed() {
        assertEquals(403, refusal("", "Bearer "));
        assertEquals(403, refusal("", "Bearer anything"));
    }
}
