package dev.caravan.ingress;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class BearerAuthorizationTest {

    private static Exchange requestWith(String authorization) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("Authorization", authorization);
        return exchange;
    }

    private static int refusal(BearerAuthorization authorization, String header) {
        return assertThrows(ApiException.class, () -> authorization.require(requestWith(header))).httpStatus();
    }

    @Test
    void onlyAConfiguredBearerTokenPasses() {
        BearerAuthorization keys = BearerAuthorization.apiKeys(List.of("team-a", "team-b"));
        assertDoesNotThrow(() -> keys.require(requestWith("Bearer team-a")));
        assertDoesNotThrow(() -> keys.require(requestWith("Bearer team-b")));
        assertEquals(401, refusal(keys, null));
        assertEquals(401, refusal(keys, "Basic dGVhbS1h"));
        assertEquals(403, refusal(keys, "Bearer team-"));
        assertEquals(403, refusal(keys, "Bearer team-c"));
    }

    @Test
    void withoutKeysTheApiIsOpenButTheAdminEndpointsAreClosed() {
        assertDoesNotThrow(() -> BearerAuthorization.apiKeys(List.of()).require(requestWith(null)));
        assertEquals(403, refusal(BearerAuthorization.adminToken(""), "Bearer anything"));
        assertDoesNotThrow(() -> BearerAuthorization.adminToken("s3cret").require(requestWith("Bearer s3cret")));
        assertEquals(403, refusal(BearerAuthorization.adminToken("s3cret"), "Bearer team-a"));
    }
}
