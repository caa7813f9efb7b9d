package dev.caravan.compat.judge0;

import dev.caravan.contract.JobState;
import dev.caravan.contract.Status;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Judge0's fourteen statuses, with the ids and descriptions of judge0/judge0 v1.13.1 {@code app/enumerations/status.rb},
 * and the rules that give a Caravan job one of them.
 */
public enum Judge0Status {
    IN_QUEUE(1, "In Queue"),
    PROCESSING(2, "Processing"),
    ACCEPTED(3, "Accepted"),
    WRONG_ANSWER(4, "Wrong Answer"),
    TIME_LIMIT_EXCEEDED(5, "Time Limit Exceeded"),
    COMPILATION_ERROR(6, "Compilation Error"),
    SIGSEGV(7, "Runtime Error (SIGSEGV)"),
    SIGXFSZ(8, "Runtime Error (SIGXFSZ)"),
    SIGFPE(9, "Runtime Error (SIGFPE)"),
    SIGABRT(10, "Runtime Error (SIGABRT)"),
    NZEC(11, "Runtime Error (NZEC)"),
    OTHER(12, "Runtime Error (Other)"),
    INTERNAL_ERROR(13, "Internal Error"),
    EXEC_FORMAT_ERROR(14, "Exec Format Error");

    /** {@code Status.find_runtime_error_by_status_code} in status.rb: a program killed by these signals. */
    private static final Map<String, Judge0Status> BY_SIGNAL = Map.of(
            "SIGSEGV", SIGSEGV, "SIGXFSZ", SIGXFSZ, "SIGFPE", SIGFPE, "SIGABRT", SIGABRT);

    private final int id;
    private final String description;

    Judge0Status(int id, String description) {
        this.id = id;
        this.description = description;
    }

    public int id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** {@code {"id": 3, "description": "Accepted"}}, as {@code GET /statuses} and a submission's {@code status} show it. */
    public Map<String, Object> json() {
        return Map.of("id", id, "description", description);
    }

    /** Every status in id order, for {@code GET /statuses}. */
    public static List<Map<String, Object>> all() {
        return Arrays.stream(values()).map(Judge0Status::json).toList();
    }

    /** A job that has not ended, or ended without a result: queued, running, or set aside / expired / cancelled. */
    public static Judge0Status ofState(JobState state) {
        return switch (state) {
            case QUEUED -> IN_QUEUE;
            case RUNNING -> PROCESSING;
            default -> INTERNAL_ERROR;
        };
    }

    /**
     * The status of a finished run from Caravan's verdict. A program run without {@code expected_output} is
     * Accepted, as in Judge0. Judge0 has no memory verdict: isolate's memory limit ends a program with a signal, so
     * Caravan's MEMORY_LIMIT_EXCEEDED is Runtime Error (Other); an output over the cap is SIGXFSZ, isolate's file-size
     * limit. A runtime error is sorted by its signal, and one without a signal (an exit code other than 0) is NZEC.
     *
     * @param signal the signal that ended the program, as Caravan names it ("SIGSEGV"), or null
     */
    public static Judge0Status ofVerdict(Status verdict, String signal) {
        return switch (verdict) {
            case OK, ACCEPTED -> ACCEPTED;
            case WRONG_ANSWER -> WRONG_ANSWER;
            case TIME_LIMIT_EXCEEDED -> TIME_LIMIT_EXCEEDED;
            case COMPILATION_ERROR -> COMPILATION_ERROR;
            case OUTPUT_LIMIT_EXCEEDED -> SIGXFSZ;
            case MEMORY_LIMIT_EXCEEDED -> OTHER;
            case RUNTIME_ERROR -> signal == null ? NZEC : BY_SIGNAL.getOrDefault(signal, OTHER);
            case INTERNAL_ERROR -> INTERNAL_ERROR;
        };
    }
}
