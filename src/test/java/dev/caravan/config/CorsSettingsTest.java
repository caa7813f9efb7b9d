package dev.caravan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** caravan.cors.allowed-origins: off by default, origins as a browser's Origin header carries them, '*' alone. */
class CorsSettingsTest {

    private static CorsSettings read(String value) {
        return CorsSettings.read(TestSettings.defaultsWith(Map.of(CorsSettings.KEY, value)));
    }

    @Test
    void offByDefault() {
        CorsSettings settings = CorsSettings.read(TestSettings.defaultsWith(Map.of()));
        assertFalse(settings.enabled());
        assertEquals(CorsSettings.OFF, settings);
    }

    @Test
    void originsAreKeptAsBrowsersSendThem() {
        CorsSettings settings = read(" https://IDE.example.com , http://localhost:3000,https://grader.example.org:443,http://a.test:80");
        assertTrue(settings.enabled());
        assertFalse(settings.anyOrigin());
        assertEquals(List.of("https://ide.example.com", "http://localhost:3000", "https://grader.example.org", "http://a.test"),
                settings.allowedOrigins());
    }

    @Test
    void aStarAloneAllowsAnyOrigin() {
        CorsSettings settings = read("*");
        assertTrue(settings.enabled());
        assertTrue(settings.anyOrigin());
        assertEquals(List.of(), settings.allowedOrigins());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://ide.example.com/", "https://ide.example.com/app", "ide.example.com", "localhost:3000",
            "ftp://files.example.com", "https://ide.example.com?x=1", "https://user@ide.example.com", "*,https://a.test",
            "https://", "http://exa mple.com"})
    void anythingButAnOriginIsRefusedNamingTheKey(String value) {
        InvalidSettingException refused = assertThrows(InvalidSettingException.class, () -> read(value));
        assertTrue(refused.getMessage().contains(CorsSettings.KEY), refused.getMessage());
    }
}
