package dev.caravan.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** The packaged defaults with some keys replaced, as a reader, for tests that need settings without Camel. */
public final class TestSettings {

    private TestSettings() {
    }

    public static SettingsReader defaultsWith(Map<String, String> overrides) {
        Properties properties = new Properties();
        try (InputStream in = TestSettings.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.putAll(overrides);
        return new SettingsReader(key -> Optional.ofNullable(properties.getProperty(key)));
    }

    public static CaravanSettings defaults() {
        return CaravanSettings.read(defaultsWith(Map.of()));
    }
}
