package dev.caravan.compat.judge0;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.callbacks.CallbackAddressGuard;
import dev.caravan.callbacks.CallbackRefusedException;
import dev.caravan.contract.Callback;
import dev.caravan.contract.ExecuteRequest;
import dev.caravan.contract.Limits;
import dev.caravan.contract.TestCase;
import dev.caravan.engine.Language;
import dev.caravan.ingress.ApiException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Judge0 submission ({@code POST /submissions} body, or one element of a batch) to Caravan's request: one test
 * whose input is {@code stdin} and whose expected output is {@code expected_output}. Limits change unit: Judge0's
 * {@code cpu_time_limit} and {@code wall_time_limit} are seconds (decimals allowed), {@code memory_limit} is KB
 * (judge0/judge0 v1.13.1 app/helpers/config.rb); Caravan's are ms and MB (KB rounded up to whole MB).
 *
 * <p>The fields submissions_controller.rb permits but Caravan cannot honour are refused with a 422 naming them,
 * never dropped; fields it does not permit are ignored, as Rails' {@code params.permit} ignores them.
 * {@code callback_url} becomes a callback in Judge0's format ({@link Judge0CallbackFormat}), checked by the same
 * address guard as Caravan's own callbacks.
 */
public final class Judge0RequestMapper {

    /** The name of Judge0's callback format on the job's record. */
    public static final String CALLBACK_FORMAT = "judge0";

    /**
     * A submission in Caravan's terms.
     *
     * @param callback where to PUT the submission when it ends, or null
     */
    public record Judge0Request(ExecuteRequest request, Callback callback) {
    }

    /** Permitted by submissions_controller.rb {@code submission_params}, with no Caravan counterpart (yet). */
    private static final Set<String> NOT_HONOURED = Set.of("compiler_options", "cpu_extra_time", "stack_limit", "max_processes_and_or_threads",
            "enable_per_process_and_thread_time_limit", "enable_per_process_and_thread_memory_limit", "max_file_size",
            "additional_files");
    /** Permitted fields whose only value Caravan honours is Judge0's default. */
    private static final Map<String, String> ONLY_DEFAULT = Map.of(
            "number_of_runs", "1", "redirect_stderr_to_stdout", "false", "enable_network", "false");
    /** Caravan's field names (as its validator reports them) to Judge0's, for the 422 body. */
    private static final Map<String, String> JUDGE0_FIELD = Map.of(
            "language", "language_id", "code", "source_code", "tests", "stdin",
            "limits.cpu_time_ms", "cpu_time_limit", "limits.wall_time_ms", "wall_time_limit",
            "limits.memory_mb", "memory_limit");

    private final Map<Integer, String> languageByJudge0Id;

    /**
     * {@code command_line_arguments}, which Judge0 appends to the run command in a shell (isolate_job.rb), split at
     * white space: Caravan runs no shell, so quotes and shell syntax are not interpreted.
     */
    private static List<String> arguments(JsonNode submission, Map<String, List<String>> errors) {
        JsonNode value = submission.get("command_line_arguments");
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isTextual()) {
            errors.put("command_line_arguments", List.of("must be a string"));
            return List.of();
        }
        String text = value.asText().strip();
        return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
    }
    private final CallbackAddressGuard guard;

    /**
     * @param languages Caravan's languages; those with a {@code judge0_id} are the ones a submission may name
     * @param guard     the callback address guard of {@code POST /jobs}
     */
    public Judge0RequestMapper(List<Language> languages, CallbackAddressGuard guard) {
        this.guard = guard;
        Map<Integer, String> byId = new LinkedHashMap<>();
        languages.stream().filter(l -> l.judge0Id() != null).forEach(l -> byId.put(l.judge0Id(), l.id()));
        this.languageByJudge0Id = Map.copyOf(byId);
    }

    /**
     * @param submission the JSON object of one submission
     * @param base64     {@code ?base64_encoded=true}: {@code source_code}, {@code stdin} and {@code expected_output}
     *                   are base64 (submissions_controller.rb decodes exactly these three)
     * @return the request for Caravan's validator, which applies the configured defaults and maxima
     * @throws Judge0Unprocessable 422 naming every field at fault
     */
    public Judge0Request read(JsonNode submission, boolean base64) {
        if (submission == null || !submission.isObject()) {
            throw Judge0Unprocessable.of("submission", "must be a JSON object");
        }
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (String field : NOT_HONOURED) {
            if (present(submission, field)) {
                errors.put(field, List.of("is not supported by Caravan; leave it out"));
            }
        }
        ONLY_DEFAULT.forEach((field, value) -> {
            if (present(submission, field) && !submission.get(field).asText().equals(value)) {
                errors.put(field, List.of("can only be " + value + " on Caravan"));
            }
        });
        String code = text(submission, "source_code", base64, errors);
        if (code == null || code.isEmpty()) {
            errors.putIfAbsent("source_code", List.of("can't be blank"));
        }
        String language = language(submission, errors);
        String stdin = text(submission, "stdin", base64, errors);
        String expected = text(submission, "expected_output", base64, errors);
        Integer cpuMs = scaled(submission, "cpu_time_limit", 1000, errors);
        Integer wallMs = scaled(submission, "wall_time_limit", 1000, errors);
        Integer memoryMb = memoryMb(submission, errors);
        Callback callback = callback(submission, errors);
        List<String> args = arguments(submission, errors);
        if (!errors.isEmpty()) {
            throw new Judge0Unprocessable(errors);
        }
        return new Judge0Request(new ExecuteRequest(language, code, null, args, List.of(new TestCase(stdin, expected)),
                new Limits(cpuMs, wallMs, memoryMb, null)), callback);
    }

    private Callback callback(JsonNode submission, Map<String, List<String>> errors) {
        String url = text(submission, "callback_url", false, errors);
        if (url == null) {
            return null;
        }
        try {
            guard.check(url);
        } catch (CallbackRefusedException refused) {
            errors.put("callback_url", List.of(refused.getMessage()));
            return null;
        }
        return new Callback(url, Map.of(), CALLBACK_FORMAT);
    }

    /**
     * Caravan's validator refused the request (a limit above its maximum, a program too large): the same refusal in
     * Judge0's 422 shape, under Judge0's name for the field.
     */
    public static Judge0Unprocessable refusal(ApiException refused) {
        String field = refused.body().field();
        String judge0Field = field == null ? "submission" : JUDGE0_FIELD.getOrDefault(field, field);
        return Judge0Unprocessable.of(judge0Field, refused.getMessage());
    }

    private static boolean present(JsonNode submission, String field) {
        return submission.hasNonNull(field);
    }

    private String language(JsonNode submission, Map<String, List<String>> errors) {
        JsonNode id = submission.get("language_id");
        if (id == null || id.isNull()) {
            errors.put("language_id", List.of("can't be blank"));
            return null;
        }
        String language = id.canConvertToInt() || id.isTextual() ? languageByJudge0Id.get(parseInt(id.asText())) : null;
        if (language == null) {
            // Judge0's own wording (app/models/submission.rb, language_existence).
            errors.put("language_id", List.of("language with id " + id.asText() + " doesn't exist"));
        }
        return language;
    }

    private static Integer parseInt(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(JsonNode submission, String field, boolean base64, Map<String, List<String>> errors) {
        JsonNode value = submission.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.put(field, List.of("must be a string"));
            return null;
        }
        if (!base64) {
            return value.asText();
        }
        try {
            return new String(Base64.getMimeDecoder().decode(value.asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            errors.put(field, List.of("is not valid base64: " + e.getMessage()));
            return null;
        }
    }

    /** A positive number of seconds (or KB) times {@code factor}, rounded up; null when absent. */
    private static Integer scaled(JsonNode submission, String field, int factor, Map<String, List<String>> errors) {
        JsonNode value = submission.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        BigDecimal number;
        try {
            number = new BigDecimal(value.asText().trim());
        } catch (NumberFormatException e) {
            errors.put(field, List.of("is not a number"));
            return null;
        }
        if (number.signum() <= 0) {
            errors.put(field, List.of("must be greater than 0"));
            return null;
        }
        BigDecimal scaled = number.multiply(BigDecimal.valueOf(factor)).setScale(0, RoundingMode.CEILING);
        if (scaled.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            errors.put(field, List.of("is too large"));
            return null;
        }
        return scaled.intValueExact();
    }

    private static Integer memoryMb(JsonNode submission, Map<String, List<String>> errors) {
        Integer kb = scaled(submission, "memory_limit", 1, errors);
        return kb == null ? null : (kb + 1023) / 1024;
    }
}
