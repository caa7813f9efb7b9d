package dev.caravan.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer to a task ({@code POST /tasks/{type}}), and its record's result: how it ended and what it left.
 *
 * @param verdict      DONE (exit 0), FAILED (another exit code or a signal), TIMEOUT (killed at its timeout)
 * @param exitCode     the exit code, null when a signal ended it
 * @param signal       the signal that ended it (SIGKILL at its timeout), null when it exited
 * @param stdout       the last {@code caravan.tasks.output-tail-kb} of its standard output
 * @param stderr       the same of its standard error
 * @param wallTimeMs   milliseconds from start to exit
 * @param peakMemoryKb the largest memory use of its process tree, in KiB (0 when the host cannot measure it)
 * @param gpu          the GPU it ran on (its index on the worker), null in a CPU slot
 * @param outputs      the files it wrote to {@code out/}, size-capped
 * @param attempts     its runs on this delivery: more than 1 when a FAILED run was run again ({@code max_attempts})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskResult(String id, String type, TaskVerdict verdict,
                         @JsonProperty("exit_code") Integer exitCode, String signal,
                         String stdout, String stderr,
                         @JsonProperty("wall_time_ms") long wallTimeMs,
                         @JsonProperty("peak_memory_kb") long peakMemoryKb,
                         Integer gpu, String worker,
                         List<OutputFile> outputs, int attempts) {

    /** This result, counted as the {@code attempts}-th run. */
    public TaskResult afterAttempts(int attempts) {
        return new TaskResult(id, type, verdict, exitCode, signal, stdout, stderr, wallTimeMs, peakMemoryKb, gpu, worker,
                outputs, attempts);
    }

    /** How a task ended. A task's own failure is a verdict, never an error of Caravan's. */
    public enum TaskVerdict { DONE, FAILED, TIMEOUT }

    /**
     * One file of the task's output folder.
     *
     * @param path      its path under {@code out/}
     * @param bytes     its size
     * @param content   its text (invalid UTF-8 replaced), null when left out by the cap
     * @param truncated true when the cap cut or left out its content
     */
    public record OutputFile(String path, long bytes, String content, boolean truncated) {
    }
}
