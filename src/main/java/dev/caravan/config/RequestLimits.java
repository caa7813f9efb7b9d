package dev.caravan.config;

import dev.caravan.contract.Limits;

/** What a request may ask for: sizes and counts, the limits a job gets by default and the most it may ask for. */
public record RequestLimits(int maxCodeBytes, int maxTests, int maxRequestBytes, Limits defaults, Limits maxima) {

    static RequestLimits read(SettingsReader reader) {
        Limits defaults = readLimits(reader, "caravan.limits.default.");
        Limits maxima = readLimits(reader, "caravan.limits.max.");
        requireAtMost(defaults.cpuTimeMs(), maxima.cpuTimeMs(), "cpu-time-ms");
        requireAtMost(defaults.wallTimeMs(), maxima.wallTimeMs(), "wall-time-ms");
        requireAtMost(defaults.memoryMb(), maxima.memoryMb(), "memory-mb");
        requireAtMost(defaults.outputKb(), maxima.outputKb(), "output-kb");
        return new RequestLimits(
                reader.positiveInt("caravan.limits.max-code-bytes"),
                reader.positiveInt("caravan.limits.max-tests"),
                reader.positiveInt("caravan.limits.max-request-bytes"),
                defaults, maxima);
    }

    private static Limits readLimits(SettingsReader reader, String prefix) {
        return new Limits(
                reader.positiveInt(prefix + "cpu-time-ms"),
                reader.positiveInt(prefix + "wall-time-ms"),
                reader.positiveInt(prefix + "memory-mb"),
                reader.positiveInt(prefix + "output-kb"));
    }

    private static void requireAtMost(int defaultValue, int maximum, String name) {
        if (defaultValue > maximum) {
            throw new InvalidSettingException("caravan.limits.default." + name,
                    "is " + defaultValue + ", above its maximum caravan.limits.max." + name + "=" + maximum);
        }
    }
}
