package dev.caravan.ingress;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;

/**
 * Guards the admin endpoints with a bearer token ({@code caravan.admin.token}). Without a configured token
 * they are closed, because they can replay and delete jobs.
 */
public final class AdminAuthorization {

    private static final String BEARER = "Bearer ";

    private final byte[] token;

    public AdminAuthorization(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    public void require(Exchange exchange) {
        if (token.length == 0) {
            throw new ApiException(403, "admin endpoints are disabled; set caravan.admin.token to use them");
        }
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        if (authorization == null || !authorization.startsWith(BEARER)) {
            throw new ApiException(401, "this endpoint needs 'Authorization: Bearer <admin token>'");
        }
        byte[] offered = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        // Constant time, so the token cannot be guessed byte by byte from response times.
        if (!MessageDigest.isEqual(token, offered)) {
            throw new ApiException(403, "the admin token is not valid");
        }
    }
}
