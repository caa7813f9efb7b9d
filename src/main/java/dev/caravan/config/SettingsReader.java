package dev.caravan.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads typed values by key from Camel's properties, turning every malformed value into a message naming its key. */
public final class SettingsReader {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private final Function<String, Optional<String>> lookup;

    public SettingsReader(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public String text(String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new InvalidSettingException(key, "is required"));
    }

    public String textOrEmpty(String key) {
        return lookup.apply(key).map(String::trim).orElse("");
    }

    /** A comma-separated list; blank means empty. */
    public List<String> list(String key) {
        return Arrays.stream(textOrEmpty(key).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    public int positiveInt(String key) {
        return intAtLeast(key, 1);
    }

    public int intAtLeast(String key, int minimum) {
        String value = text(key);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= minimum) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the value
        }
        throw new InvalidSettingException(key, "expected a whole number of at least " + minimum + " but was '" + value + "'");
    }

    public boolean bool(String key) {
        String value = text(key);
        if (!value.equals("true") && !value.equals("false")) {
            throw new InvalidSettingException(key, "expected true or false but was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    public double nonNegativeDecimal(String key) {
        String value = text(key);
        try {
            double parsed = Double.parseDouble(value);
            if (parsed >= 0 && Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the value
        }
        throw new InvalidSettingException(key, "expected a number of 0 or more but was '" + value + "'");
    }

    /** A duration written as milliseconds ({@code 1500}) or with a unit ({@code 1500ms}, {@code 10s}, {@code 3m}, {@code 1h}). */
    public Duration positiveDuration(String key) {
        String value = text(key);
        Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (matcher.matches() && Long.parseLong(matcher.group(1)) > 0) {
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
            return switch (unit) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMillis(amount);
            };
        }
        throw new InvalidSettingException(key, "expected a duration above 0 such as 500ms, 10s or 3m but was '" + value + "'");
    }

    public <E extends Enum<E>> E oneOf(String key, Class<E> type) {
        String value = text(key);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String allowed = String.join(", ", Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
            throw new InvalidSettingException(key, "expected one of " + allowed + " but was '" + value + "'");
        }
    }
}
