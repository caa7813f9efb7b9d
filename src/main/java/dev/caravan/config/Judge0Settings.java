package dev.caravan.config;

import java.util.regex.Pattern;

/**
 * The Judge0 CE 1.13 compatible API ({@code caravan.judge0.*}).
 *
 * @param enabled {@code caravan.judge0.enabled}: serve it on API nodes
 * @param path    {@code caravan.judge0.path}: the folder its endpoints live under ({@code /judge0} by default, since
 *                Judge0's {@code /languages} would otherwise shadow Caravan's own); a client's base URL ends there
 */
public record Judge0Settings(boolean enabled, String path) {

    /** One or more URL path segments, with no trailing '/' and nothing a route URI would read as an option. */
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    /** @throws InvalidSettingException naming {@code caravan.judge0.path} when it is not such a path */
    public static Judge0Settings read(SettingsReader reader) {
        String path = reader.text("caravan.judge0.path");
        if (!PATH.matcher(path).matches()) {
            throw new InvalidSettingException("caravan.judge0.path",
                    "expected a path like /judge0 (segments of letters, digits, '.', '_', '~' or '-') but was '" + path + "'");
        }
        return new Judge0Settings(reader.bool("caravan.judge0.enabled"), path);
    }
}
