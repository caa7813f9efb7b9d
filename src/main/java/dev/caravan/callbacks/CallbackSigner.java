package dev.caravan.callbacks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a callback body: {@code Caravan-Signature: sha256=<lower-case hex HMAC-SHA256 (RFC 2104) of the exact body
 * bytes, keyed with caravan.callbacks.secret>}, the scheme of GitHub's {@code X-Hub-Signature-256}, so a receiver can
 * check the POST came from this service and was not altered.
 */
public final class CallbackSigner {

    public static final String HEADER = "Caravan-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /** @param secret the shared secret; blank means callbacks go unsigned */
    public CallbackSigner(String secret) {
        this.key = secret.isEmpty() ? null : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    public boolean signs() {
        return key != null;
    }

    /** The header's value for this body, {@code sha256=<64 hex digits>}. */
    public String signature(byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
