package dev.caravan.compat.piston;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One stage ({@code run} or {@code compile}) of Piston's answer, with the fields {@code safe_call} returns in
 * engineer-man/piston {@code api/src/job.js}. Absent values are JSON nulls, as there.
 *
 * @param status   null for a clean exit, else Piston's (isolate's) code: RE exited non-zero, SG killed by a
 *                 signal, TO over time, OL stdout too long, EL stderr too long, XX internal error
 * @param cpuTime  ms
 * @param wallTime ms
 * @param memory   bytes
 */
public record PistonStage(
        String stdout,
        String stderr,
        String output,
        Integer code,
        String signal,
        String message,
        String status,
        @JsonProperty("cpu_time") Long cpuTime,
        @JsonProperty("wall_time") Long wallTime,
        Long memory) {
}
