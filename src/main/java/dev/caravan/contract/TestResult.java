package dev.caravan.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What one test run produced and the verdict it earned. */
public record TestResult(
        Status status,
        String stdout,
        String stderr,
        @JsonProperty("exit_code") Integer exitCode,
        String signal,
        @JsonProperty("cpu_time_ms") long cpuTimeMs,
        @JsonProperty("wall_time_ms") long wallTimeMs,
        @JsonProperty("memory_kb") long memoryKb) {
}
