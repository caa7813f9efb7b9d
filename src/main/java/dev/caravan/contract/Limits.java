package dev.caravan.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Resource limits of one run. In a request every field may be null (meaning "the configured default");
 * a {@link Job} always carries complete limits.
 */
public record Limits(
        @JsonProperty("cpu_time_ms") Integer cpuTimeMs,
        @JsonProperty("wall_time_ms") Integer wallTimeMs,
        @JsonProperty("memory_mb") Integer memoryMb,
        @JsonProperty("output_kb") Integer outputKb) {

    /** This limit set with every missing field taken from {@code defaults}. */
    public Limits orElse(Limits defaults) {
        return new Limits(
                cpuTimeMs != null ? cpuTimeMs : defaults.cpuTimeMs,
                wallTimeMs != null ? wallTimeMs : defaults.wallTimeMs,
                memoryMb != null ? memoryMb : defaults.memoryMb,
                outputKb != null ? outputKb : defaults.outputKb);
    }

    public long outputBytes() {
        return outputKb * 1024L;
    }
}
