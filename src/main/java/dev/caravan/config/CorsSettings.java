package dev.caravan.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Which web pages on other origins may call the HTTP API from a browser (CORS, the Fetch standard's
 * "CORS protocol", https://fetch.spec.whatwg.org/#http-cors-protocol), read from {@code caravan.cors.allowed-origins}.
 *
 * @param allowedOrigins origins as a browser sends them in {@code Origin} ({@code scheme://host[:port]}, RFC 6454
 *                       section 6.1), lower-cased; empty when CORS is off, the default
 * @param anyOrigin      {@code *}: every origin may call
 */
public record CorsSettings(List<String> allowedOrigins, boolean anyOrigin) {

    static final String KEY = "caravan.cors.allowed-origins";

    /** Off: browsers refuse every cross-origin call, as before this setting existed. */
    public static final CorsSettings OFF = new CorsSettings(List.of(), false);

    /** True when some origin may call. */
    public boolean enabled() {
        return anyOrigin || !allowedOrigins.isEmpty();
    }

    /**
     * Blank: off. {@code *}: any origin. Otherwise comma-separated origins such as
     * {@code https://ide.example.com,http://localhost:3000}.
     *
     * @throws InvalidSettingException naming the key, for a value that is not an origin (a path, a missing scheme, a
     *                                 '*' among origins)
     */
    public static CorsSettings read(SettingsReader reader) {
        List<String> values = reader.list(KEY);
        if (values.equals(List.of("*"))) {
            return new CorsSettings(List.of(), true);
        }
        return new CorsSettings(values.stream().map(CorsSettings::origin).toList(), false);
    }

    private static String origin(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw notAnOrigin(value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean bare = uri.getRawPath() != null && uri.getRawPath().isEmpty() && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
            throw notAnOrigin(value);
        }
        // Compared with the Origin header as browsers send it: lower-case, no default port (RFC 6454 section 6.2).
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static InvalidSettingException notAnOrigin(String value) {
        return new InvalidSettingException(KEY, "expected '*' or origins like https://ide.example.com or "
                + "http://localhost:3000 (scheme, host and port only, no path or trailing '/') but found '" + value + "'");
    }
}
