package dev.caravan.config;

import dev.caravan.contract.Job;
import dev.caravan.contract.Limits;
import java.time.Duration;
import java.util.Optional;

/**
 * What a request may ask for: sizes and counts, the limits a job gets by default and the most it may ask for.
 *
 * @param maxCodeBytes   {@code caravan.limits.max-code-bytes}: the most a program may take, all its files together
 * @param maxFiles       {@code caravan.limits.max-files}: the most files a program may have, the main one included
 * @param maxJobWallTime {@code caravan.limits.max-job-wall-time}: the most one attempt at a job may take, compile
 *                       included; a job whose tests × wall-time limit exceed it is refused before it runs
 */
public record RequestLimits(int maxCodeBytes, int maxFiles, int maxTests, int maxRequestBytes, Limits defaults, Limits maxima,
                            Duration maxJobWallTime) {

    static RequestLimits read(SettingsReader reader) {
        Limits defaults = readLimits(reader, "caravan.limits.default.");
        Limits maxima = readLimits(reader, "caravan.limits.max.");
        requireAtMost(defaults.cpuTimeMs(), maxima.cpuTimeMs(), "cpu-time-ms");
        requireAtMost(defaults.wallTimeMs(), maxima.wallTimeMs(), "wall-time-ms");
        requireAtMost(defaults.memoryMb(), maxima.memoryMb(), "memory-mb");
        requireAtMost(defaults.outputKb(), maxima.outputKb(), "output-kb");
        Duration maxJobWallTime = reader.positiveDuration("caravan.limits.max-job-wall-time");
        if (maxJobWallTime.toMillis() < maxima.wallTimeMs()) {
            throw new InvalidSettingException("caravan.limits.max-job-wall-time", "is " + maxJobWallTime.toMillis()
                    + " ms, less than one test may take (caravan.limits.max.wall-time-ms=" + maxima.wallTimeMs() + ")");
        }
        return new RequestLimits(
                reader.positiveInt("caravan.limits.max-code-bytes"),
                reader.positiveInt("caravan.limits.max-files"),
                reader.positiveInt("caravan.limits.max-tests"),
                reader.positiveInt("caravan.limits.max-request-bytes"),
                defaults, maxima, maxJobWallTime);
    }

    /**
     * Why the job's tests do not fit {@link #maxJobWallTime} (every test at its wall-time limit; the compile has its
     * own), e.g. "19 tests at a wall-time limit of 10000 ms may take 190000 ms, more than the 180000 ms a job may
     * take"; empty when they fit. Checked before a job is queued and again before it runs.
     */
    public Optional<String> jobWallTimeExcess(Job job) {
        long testsWallTimeMs = (long) job.tests().size() * job.limits().wallTimeMs();
        if (testsWallTimeMs <= maxJobWallTime.toMillis()) {
            return Optional.empty();
        }
        return Optional.of(job.tests().size() + " tests at a wall-time limit of " + job.limits().wallTimeMs()
                + " ms may take " + testsWallTimeMs + " ms, more than the " + maxJobWallTime.toMillis() + " ms a job may take");
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
