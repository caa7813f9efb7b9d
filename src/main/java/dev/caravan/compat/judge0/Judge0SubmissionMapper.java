package dev.caravan.compat.judge0;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.TestResult;
import dev.caravan.engine.Language;
import dev.caravan.ingress.ApiException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A submission in Judge0's shape (judge0/judge0 v1.13.1 app/serializers/submission_serializer.rb), cut to the
 * requested {@code fields} (app/services/fields/submission.rb). {@code time} and {@code wall_time} are decimal
 * strings of seconds ("0.012"), {@code memory} is KB, {@code status} is {@code {"id", "description"}}. With base64,
 * the six text fields the serializer encodes are base64.
 *
 * <p>Caravan keeps a job's result, not its request: {@code source_code}, {@code stdin}, {@code expected_output} and the
 * limits asked for are null when read back, and fields with no Caravan counterpart have Judge0's defaults.
 */
public final class Judge0SubmissionMapper {

    /** fields/submission.rb {@code default_fields}. */
    static final List<String> DEFAULT_FIELDS = List.of("token", "time", "memory", "stdout", "stderr", "compile_output",
            "message", "status");
    /** The serializer's attributes: the submissions table's columns, {@code language}, {@code status}, {@code source_code}. */
    static final List<String> ALL_FIELDS = List.of("source_code", "language_id", "stdin", "expected_output", "stdout",
            "status_id", "created_at", "finished_at", "time", "memory", "stderr", "token", "number_of_runs",
            "cpu_time_limit", "cpu_extra_time", "wall_time_limit", "memory_limit", "stack_limit",
            "max_processes_and_or_threads", "enable_per_process_and_thread_time_limit",
            "enable_per_process_and_thread_memory_limit", "max_file_size", "compile_output", "exit_code", "exit_signal",
            "message", "wall_time", "compiler_options", "command_line_arguments", "redirect_stderr_to_stdout",
            "callback_url", "additional_files", "enable_network", "status", "language");
    private static final Set<String> BASE64_FIELDS = Set.of("source_code", "stdin", "expected_output", "stdout",
            "stderr", "compile_output", "message");
    /** Signal numbers on Linux (signal(7)), for {@code exit_signal}. */
    private static final Map<String, Integer> SIGNAL_NUMBERS = Map.ofEntries(Map.entry("SIGHUP", 1),
            Map.entry("SIGINT", 2), Map.entry("SIGQUIT", 3), Map.entry("SIGILL", 4), Map.entry("SIGTRAP", 5),
            Map.entry("SIGABRT", 6), Map.entry("SIGBUS", 7), Map.entry("SIGFPE", 8), Map.entry("SIGKILL", 9),
            Map.entry("SIGSEGV", 11), Map.entry("SIGPIPE", 13), Map.entry("SIGALRM", 14), Map.entry("SIGTERM", 15),
            Map.entry("SIGXCPU", 24), Map.entry("SIGXFSZ", 25), Map.entry("SIGSYS", 31));

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Map<String, Language> languages;

    public Judge0SubmissionMapper(List<Language> languages) {
        this.languages = languages.stream().collect(Collectors.toMap(Language::id, Function.identity()));
    }

    /**
     * The {@code fields} query parameter: Judge0's defaults when absent, every field for {@code *}.
     *
     * @throws ApiException 400 {@code {"error": "invalid fields: [a, b]"}}, Judge0's answer (submissions_controller.rb
     *                      {@code check_requested_fields})
     */
    public static List<String> requestedFields(String fields) {
        if (fields == null || fields.isBlank()) {
            return DEFAULT_FIELDS;
        }
        if (fields.trim().equals("*")) {
            return ALL_FIELDS;
        }
        List<String> requested = Arrays.stream(fields.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
        List<String> invalid = requested.stream().filter(f -> !ALL_FIELDS.contains(f)).toList();
        if (!invalid.isEmpty()) {
            throw new ApiException(400, "invalid fields: [" + String.join(", ", invalid) + "]");
        }
        return requested;
    }

    /** The submission with exactly {@code fields}, in that order. */
    public Map<String, Object> map(Judge0Submission submission, List<String> fields, boolean base64) {
        Map<String, Object> all = everything(submission);
        Map<String, Object> shown = new LinkedHashMap<>();
        for (String field : fields) {
            Object value = all.get(field);
            if (base64 && value instanceof String text && BASE64_FIELDS.contains(field)) {
                value = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
            }
            shown.put(field, value);
        }
        return shown;
    }

    private Map<String, Object> everything(Judge0Submission submission) {
        ExecuteResult result = submission.result();
        TestResult run = result == null || result.tests() == null || result.tests().isEmpty() ? null : result.tests().get(0);
        Judge0Status status = result == null ? Judge0Status.ofState(submission.state())
                : Judge0Status.ofVerdict(result.status(), run == null ? null : run.signal());
        Language language = languages.get(submission.language());
        Map<String, Object> all = new LinkedHashMap<>();
        ALL_FIELDS.forEach(field -> all.put(field, null));
        all.put("token", submission.token());
        all.put("language_id", language == null ? null : language.judge0Id());
        all.put("language", language == null ? null : Judge0Languages.summary(language));
        all.put("status_id", status.id());
        all.put("status", status.json());
        all.put("created_at", timestamp(submission.createdAt()));
        all.put("finished_at", timestamp(submission.finishedAt()));
        all.put("number_of_runs", 1);
        all.put("redirect_stderr_to_stdout", false);
        all.put("enable_network", false);
        all.put("enable_per_process_and_thread_time_limit", false);
        all.put("enable_per_process_and_thread_memory_limit", false);
        all.put("compile_output", result == null || result.compile() == null || result.compile().output() == null
                || result.compile().output().isEmpty() ? null : result.compile().output());
        if (run != null) {
            all.put("stdout", run.stdout());
            all.put("stderr", run.stderr());
            all.put("time", seconds(run.cpuTimeMs()));
            all.put("wall_time", seconds(run.wallTimeMs()));
            all.put("memory", run.memoryKb());
            all.put("exit_code", run.exitCode());
            all.put("exit_signal", run.signal() == null ? null : SIGNAL_NUMBERS.get(run.signal()));
        }
        all.put("message", message(submission, status, run));
        return all;
    }

    /**
     * "2026-11-29T10:00:00.000Z", always with milliseconds, as Rails writes a time: the official Python SDK
     * (judge0/judge0-python src/judge0/submission.py {@code set_attributes}) parses it with "%Y-%m-%dT%H:%M:%S.%fZ" and
     * fails on the shorter form {@link Instant#toString} gives a whole second.
     */
    static String timestamp(Instant instant) {
        return instant == null ? null : TIMESTAMP.format(instant);
    }

    /** "0.012": Judge0 keeps times as decimals of seconds, isolate's meta file precision (ms). */
    static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).toPlainString();
    }

    /** Judge0 explains a non-accepted run in {@code message} (isolate's status line); Caravan says the same in words. */
    private static String message(Judge0Submission submission, Judge0Status status, TestResult run) {
        if (submission.failure() != null) {
            return submission.failure();
        }
        if (run == null) {
            return null;
        }
        return switch (status) {
            case TIME_LIMIT_EXCEEDED -> "Time limit exceeded";
            case SIGXFSZ -> run.signal() == null ? "Output limit exceeded" : "Caught fatal signal " + signal(run);
            case OTHER -> run.status() == dev.caravan.contract.Status.MEMORY_LIMIT_EXCEEDED ? "Memory limit exceeded"
                    : "Caught fatal signal " + signal(run);
            case SIGSEGV, SIGFPE, SIGABRT -> "Caught fatal signal " + signal(run);
            case NZEC -> "Exited with error status " + run.exitCode();
            default -> null;
        };
    }

    private static String signal(TestResult run) {
        Integer number = run.signal() == null ? null : SIGNAL_NUMBERS.get(run.signal());
        return number == null ? String.valueOf(run.signal()) : String.valueOf(number);
    }
}
