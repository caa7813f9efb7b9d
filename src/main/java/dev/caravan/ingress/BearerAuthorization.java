package dev.caravan.ingress;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * Lets a request through only with one of the configured bearer tokens ({@code Authorization: Bearer …}).
 * API keys are optional (no keys: the API is open, for local use); the admin token is not (no token: the admin
 * endpoints are closed, because they can replay and delete jobs).
 */
public final class BearerAuthorization {

    private static final String BEARER = "Bearer ";

    private final List<byte[]> tokens;
    private final boolean openWithoutTokens;
    private final String setting;

    private BearerAuthorization(List<String> tokens, boolean openWithoutTokens, String setting) {
        this.tokens = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
        this.openWithoutTokens = openWithoutTokens;
        this.setting = setting;
    }

    public static BearerAuthorization apiKeys(List<String> keys) {
        return new BearerAuthorization(keys, true, "caravan.api.keys");
    }

    public static BearerAuthorization adminToken(String token) {
        return new BearerAuthorization(token.isEmpty() ? List.of() : List.of(token), false, "caravan.admin.token");
    }

    public void require(Exchange exchange) {
        if (tokens.isEmpty()) {
            if (openWithoutTokens) {
                return;
            }
            throw new ApiException(403, "these endpoints are disabled; set " + setting + " to use them");
        }
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        if (authorization == null || !authorization.startsWith(BEARER)) {
            throw new ApiException(401, "this endpoint needs 'Authorization: Bearer <token>'");
        }
        byte[] offered = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        // Constant time per key, so a token cannot be guessed byte by byte from response times.
        boolean known = false;
        for (byte[] token : tokens) {
            known |= MessageDigest.isEqual(token, offered);
        }
        if (!known) {
            throw new ApiException(403, "the token is not valid here");
        }
    }
}
