package dev.caravan.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Outcome of the single compile step of a job, for compiled languages. */
public record CompileResult(Status status, String output, @JsonProperty("time_ms") long timeMs) {

    public static CompileResult ok(String output, long timeMs) {
        return new CompileResult(Status.OK, output, timeMs);
    }

    public static CompileResult failed(String output, long timeMs) {
        return new CompileResult(Status.COMPILATION_ERROR, output, timeMs);
    }

    public boolean failed() {
        return status == Status.COMPILATION_ERROR;
    }
}
