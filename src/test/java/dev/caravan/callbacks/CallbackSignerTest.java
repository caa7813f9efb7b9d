package dev.caravan.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallbackSignerTest {

    /** RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?". */
    @Test
    void theSignatureIsTheHexHmacSha256OfTheBody() {
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                new CallbackSigner("Jefe").signature("what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBlankSecretSignsNothing() {
        assertFalse(new CallbackSigner("").signs());
    }
}
