package dev.caravan.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.caravan.config.RequestLimits;
import dev.caravan.contract.ExecuteRequest;
import dev.caravan.contract.Job;
import dev.caravan.contract.Json;
import dev.caravan.contract.Limits;
import dev.caravan.contract.TestCase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Turns the body of {@code POST /execute} into a {@link Job}, or refuses it naming the field at fault. */
public final class ExecuteRequestValidator {

    private final RequestLimits limits;
    private final Set<String> languages;

    public ExecuteRequestValidator(RequestLimits limits, Set<String> languages) {
        this.limits = limits;
        this.languages = Set.copyOf(languages);
    }

    public Job validate(byte[] body) {
        if (body.length > limits.maxRequestBytes()) {
            throw new ApiException(413, "request body is " + body.length + " bytes, more than the "
                    + limits.maxRequestBytes() + " allowed");
        }
        ExecuteRequest request = parse(body);
        String language = requireLanguage(request.language());
        String code = requireCode(request.code());
        List<TestCase> tests = requireTests(request.tests());
        Limits jobLimits = requireLimits(request.limits());
        Job job = new Job(UUID.randomUUID().toString(), language, code, tests, jobLimits);
        requireWithinJobWallTime(job, request.limits() != null && request.limits().wallTimeMs() != null);
        return job;
    }

    /** Named after what the caller chose: the wall-time limit if it asked for one, else the number of tests. */
    private void requireWithinJobWallTime(Job job, boolean wallTimeAsked) {
        limits.jobWallTimeExcess(job).ifPresent(excess -> {
            throw ApiException.badField(wallTimeAsked ? "limits.wall_time_ms" : "tests",
                    excess + "; send fewer tests or a lower limits.wall_time_ms");
        });
    }

    private static ExecuteRequest parse(byte[] body) {
        if (body.length == 0) {
            throw new ApiException(400, "request body is empty; expected a JSON object");
        }
        try {
            ExecuteRequest request = Json.read(body, ExecuteRequest.class);
            if (request == null) {
                throw new ApiException(400, "request body must be a JSON object, not null");
            }
            return request;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badField(fieldPath(e), "unknown field '" + e.getPropertyName() + "'");
        } catch (MismatchedInputException e) {
            String field = fieldPath(e);
            throw field.isEmpty()
                    ? new ApiException(400, "request body must be a JSON object")
                    : ApiException.badField(field, "field '" + field + "' must be " + describe(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "request body cannot be read: " + e.getMessage());
        }
    }

    private String requireLanguage(String language) {
        if (language == null || language.isBlank()) {
            throw ApiException.badField("language", "field 'language' is required");
        }
        if (!languages.contains(language)) {
            throw ApiException.badField("language", "unknown language '" + language + "'; GET /languages lists "
                    + languages.stream().sorted().collect(Collectors.joining(", ")));
        }
        return language;
    }

    private String requireCode(String code) {
        if (code == null || code.isEmpty()) {
            throw ApiException.badField("code", "field 'code' is required and must not be empty");
        }
        int bytes = code.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxCodeBytes()) {
            throw ApiException.badField("code", "code is " + bytes + " bytes, more than the "
                    + limits.maxCodeBytes() + " allowed");
        }
        return code;
    }

    private List<TestCase> requireTests(List<TestCase> tests) {
        if (tests == null || tests.isEmpty()) {
            return List.of(new TestCase("", null));
        }
        if (tests.size() > limits.maxTests()) {
            throw ApiException.badField("tests", "there are " + tests.size() + " tests, more than the "
                    + limits.maxTests() + " allowed");
        }
        for (int i = 0; i < tests.size(); i++) {
            if (tests.get(i) == null) {
                throw ApiException.badField("tests[" + i + "]", "test " + i + " must be an object, not null");
            }
        }
        return List.copyOf(tests);
    }

    private Limits requireLimits(Limits requested) {
        if (requested == null) {
            return limits.defaults();
        }
        requireWithin(requested, "cpu_time_ms", Limits::cpuTimeMs);
        requireWithin(requested, "wall_time_ms", Limits::wallTimeMs);
        requireWithin(requested, "memory_mb", Limits::memoryMb);
        requireWithin(requested, "output_kb", Limits::outputKb);
        return requested.orElse(limits.defaults());
    }

    private void requireWithin(Limits requested, String name, Function<Limits, Integer> limit) {
        Integer value = limit.apply(requested);
        if (value == null) {
            return;
        }
        int maximum = limit.apply(limits.maxima());
        if (value <= 0 || value > maximum) {
            throw ApiException.badField("limits." + name, "limits." + name + " must be between 1 and " + maximum
                    + " but was " + value);
        }
    }

    /** The JSON name of what was expected, so the answer does not speak of Java classes. */
    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a whole number";
        }
        return "an object";
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
