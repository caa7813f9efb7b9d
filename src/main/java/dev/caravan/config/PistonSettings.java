package dev.caravan.config;

import java.util.regex.Pattern;

/**
 * The Piston-compatible API (compat/piston, routes/piston.camel.yaml).
 *
 * @param enabled {@code caravan.piston.enabled}: serve it on API nodes
 * @param path    {@code caravan.piston.path}: the folder its endpoints live under, Piston's {@code /api/v2} by default,
 *                so that a client changes only its base URL
 */
public record PistonSettings(boolean enabled, String path) {

    /** One or more URL path segments, with no trailing '/' and nothing a route URI would read as an option. */
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    public static PistonSettings read(SettingsReader reader) {
        String path = reader.text("caravan.piston.path");
        if (!PATH.matcher(path).matches()) {
            throw new InvalidSettingException("caravan.piston.path",
                    "expected a path like /api/v2 (segments of letters, digits, '.', '_', '~' or '-') but was '" + path + "'");
        }
        return new PistonSettings(reader.bool("caravan.piston.enabled"), path);
    }
}
