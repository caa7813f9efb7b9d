package dev.caravan.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The callback address rule: the service may not be aimed at its own network unless allowed. */
class CallbackAddressGuardTest {

    private final CallbackAddressGuard guard = new CallbackAddressGuard(false);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]/hook",
            "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data",
            "http://[fe80::1]/", "http://[fd00::1]/", "http://100.64.0.1/", "http://0.0.0.0/", "http://224.0.0.1/"})
    void internalAddressesAreRefused(String url) {
        CallbackRefusedException refused = assertThrows(CallbackRefusedException.class, () -> guard.check(url));
        assertTrue(refused.getMessage().contains("caravan.callbacks.allow-private"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.org/", "file:///etc/passwd", "not a url", "http:///nohost"})
    void onlyHttpUrlsWithAHostAreAccepted(String url) {
        assertThrows(CallbackRefusedException.class, () -> guard.check(url));
    }

    @Test
    void publicAddressesPassAndAllowPrivateLiftsTheRule() throws Exception {
        assertEquals("93.184.216.34", guard.check("https://93.184.216.34/hook").getHost());
        assertEquals("127.0.0.1", new CallbackAddressGuard(true).check("http://127.0.0.1:9/x").getHost());
        assertTrue(!CallbackAddressGuard.isInternal(InetAddress.getByName("100.128.0.1")));
        assertTrue(!CallbackAddressGuard.isInternal(InetAddress.getByName("2001:db8::1")));
    }
}
